// Ends a socket when its token expires: `auth_expired`, then a server-side disconnect, so a socket
// never outlives the token it was authenticated with. The client reconnects with a new token.
import type { TickwireSocket } from './types.js';

/** setTimeout's largest delay; a longer one would fire at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The next timer to set: the remaining time, or the largest allowed step towards it. */
export function nextExpiryStep(expiresAtSeconds: number, now: number): { delayMs: number; expires: boolean } {
  const remaining = Math.max(0, expiresAtSeconds * 1000 - now);
  return remaining > MAX_TIMER_DELAY_MS ? { delayMs: MAX_TIMER_DELAY_MS, expires: false } : { delayMs: remaining, expires: true };
}

export function expireWithToken(socket: TickwireSocket): void {
  let timer: NodeJS.Timeout | undefined;
  const expire = () => {
    socket.emit('auth_expired', { message: 'Your token has expired; connect again with a new token' });
    // Socket.IO flushes the packets queued before it closes, so auth_expired arrives first.
    socket.disconnect(true);
  };
  const arm = () => {
    const step = nextExpiryStep(socket.data.tokenExpiresAt, Date.now());
    timer = setTimeout(step.expires ? expire : arm, step.delayMs);
  };
  arm();
  socket.on('disconnect', () => clearTimeout(timer));
}
