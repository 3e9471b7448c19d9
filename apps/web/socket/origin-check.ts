// Refuses a Socket.IO handshake from a browser page whose Origin is not in CORS_ORIGINS. CORS
// headers alone do not stop a WebSocket (browsers send no preflight for it), so the check is here.
import type { ServerOptions } from 'socket.io';

/** True when the page that opened the connection was served by this host (the demo page at `/`). */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  // "null" (sandboxed frames, file://) and garbage do not parse.
  return !!host && URL.canParse(origin) && new URL(origin).host === host.toLowerCase();
}

/**
 * Requests without an Origin header (server-side clients, not browsers) are allowed, and so are
 * pages from the host the request is addressed to: the demo page at `/` is the API's own origin,
 * which CORS_ORIGINS (meant for other sites) need not list.
 */
export function allowListedOrigins(origins: readonly string[]): NonNullable<ServerOptions['allowRequest']> {
  const allowed = new Set(origins);
  return (req, callback) => {
    const origin = req.headers.origin;
    if (origin === undefined || allowed.has(origin) || isSameOrigin(origin, req.headers.host)) callback(null, true);
    else callback('origin not allowed', false);
  };
}
