export const LARGE_RESPONSE = 'x'.repeat(200_000);

/** A body written in pieces, with no Content-Length: 3,000 bytes. */
export const FEED_CHUNKS = ['a'.repeat(1000), 'b'.repeat(1000), 'c'.repeat(1000)];

/** What JSON cannot serialize: sending it throws while the response is being written. */
export const UNSERIALIZABLE = { balance: 10n };

/** Requests for this path (no route has it) are held before routing, as an auth check would. */
export const HELD_PATH = '/held';

/** Who may scrape the conformance stacks: kept here, apart from the stacks, for the runtimes that load no framework but Hono. */
export const credentials = { username: 'scraper', password: 'conform' };
