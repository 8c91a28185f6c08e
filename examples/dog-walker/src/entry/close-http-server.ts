import type { Server } from 'node:http';

/** How long requests still in progress when the server stops may take before they are cut. */
const GRACE_MS = 2_000;
/** How often connections that went idle meanwhile are closed, during the grace period. */
const SWEEP_MS = 50;

/**
 * Stops `server`: it takes no new connection, idle ones close at once, one whose request finishes
 * closes then, and whatever is left after GRACE_MS is cut. Node's `close()` closes the connections
 * idle at that moment only (a keep-alive connection whose response ends later stays open for its
 * keep-alive timeout), counts a connection that has sent nothing yet as busy (a browser opens
 * some ahead of use), and stops the checks that enforce `headersTimeout` and `requestTimeout`:
 * one such client would keep the demo from stopping for good.
 */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    const cut = setTimeout(() => server.closeAllConnections(), GRACE_MS);
    sweep.unref();
    cut.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
  });
}
