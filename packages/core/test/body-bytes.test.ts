import { describe, expect, it } from 'vitest';
import { fetchRequestBodyBytes, requestBodyBytes } from '../src/http/body-bytes.js';

// One rule, read from Node's headers object and from a Fetch API Headers alike.
describe("a request's body bytes from its headers", () => {
  it('is its Content-Length, 0 without a body, and unknown (NaN) for a chunked one', () => {
    expect(requestBodyBytes({ 'content-length': '12' })).toBe(12);
    expect(requestBodyBytes({})).toBe(0);
    expect(requestBodyBytes({ 'transfer-encoding': 'chunked' })).toBeNaN();
    expect(fetchRequestBodyBytes(new Headers({ 'Content-Length': '12' }))).toBe(12);
    expect(fetchRequestBodyBytes(new Headers())).toBe(0);
    expect(fetchRequestBodyBytes(new Headers({ 'Transfer-Encoding': 'chunked' }))).toBeNaN();
  });
});
