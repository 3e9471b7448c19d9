// Refuses a Socket.IO handshake from a browser page whose Origin is not in CORS_ORIGINS. CORS
// headers alone do not stop a WebSocket (browsers send no preflight for it), so the check is here.
import type { IncomingMessage } from 'node:http';

type AllowRequest = (req: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => void;

/** Requests without an Origin header (server-side clients, not browsers) are allowed. */
export function allowListedOrigins(origins: readonly string[]): AllowRequest {
  const allowed = new Set(origins);
  return (req, callback) => {
    const origin = req.headers.origin;
    if (origin === undefined || allowed.has(origin)) callback(null, true);
    else callback('origin not allowed', false);
  };
}
