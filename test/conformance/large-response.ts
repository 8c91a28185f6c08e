export const LARGE_RESPONSE = 'x'.repeat(200_000);
