import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsAuth } from '../options/http-options.js';

/** Checks an Authorization header; any malformed header is simply not authorized. */
export interface AuthCheck {
  readonly challenge: string;
  authorize(header: string | undefined): boolean;
}

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;
const BEARER = /^bearer +([\x21-\x7e]+) *$/i;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests make the comparison constant-time whatever the input's length. */
function sameSecret(expected: Buffer, received: string): boolean {
  return timingSafeEqual(expected, digest(received));
}

export function createAuthCheck(auth: MetricsAuth): AuthCheck {
  if ('token' in auth) {
    const token = digest(auth.token);
    return {
      challenge: 'Bearer realm="metrics"',
      authorize(header) {
        const match = header ? BEARER.exec(header) : null;
        return match !== null && sameSecret(token, match[1]!);
      },
    };
  }
  const username = digest(auth.username);
  const password = digest(auth.password);
  return {
    challenge: 'Basic realm="metrics", charset="UTF-8"',
    authorize(header) {
      const match = header ? BASIC.exec(header) : null;
      if (!match) return false;
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      // Both halves are always compared, so timing does not tell which one was wrong.
      const userMatches = sameSecret(username, decoded.slice(0, colon));
      const passwordMatches = sameSecret(password, decoded.slice(colon + 1));
      return userMatches && passwordMatches;
    },
  };
}
