/** What `promise` rejected with; fails the test when it fulfils instead. */
export async function rejection<E = Error & { code?: string }>(promise: PromiseLike<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}
