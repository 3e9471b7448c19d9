import type { IncomingMessage } from 'node:http';
import { allowListedOrigins, isSameOrigin } from './origin-check.js';

function decide(origins: readonly string[], headers: Record<string, string>): boolean {
  let result: boolean | undefined;
  allowListedOrigins(origins)({ headers } as unknown as IncomingMessage, (_error, success) => {
    result = success;
  });
  return result!;
}

describe('socket origin check', () => {
  it('allows no Origin and the listed origins, refuses others', () => {
    expect(decide(['http://localhost:3000'], { host: 'api.example:3001' })).toBe(true);
    expect(decide(['http://localhost:3000'], { host: 'api.example:3001', origin: 'http://localhost:3000' })).toBe(true);
    expect(decide(['http://localhost:3000'], { host: 'api.example:3001', origin: 'http://evil.example' })).toBe(false);
  });

  it('allows a page served by the host the handshake is addressed to (the demo page)', () => {
    expect(decide([], { host: '127.0.0.1:4567', origin: 'http://127.0.0.1:4567' })).toBe(true);
    expect(decide([], { host: 'Tickwire.Example', origin: 'https://tickwire.example' })).toBe(true);
  });

  it('refuses a page from another host or port, "null" and a missing Host', () => {
    expect(decide([], { host: '127.0.0.1:4567', origin: 'http://127.0.0.1:4568' })).toBe(false);
    expect(decide([], { host: 'tickwire.example', origin: 'http://tickwire.example.evil.example' })).toBe(false);
    expect(decide([], { host: 'tickwire.example', origin: 'null' })).toBe(false);
    expect(decide([], { origin: 'http://tickwire.example' })).toBe(false);
    expect(isSameOrigin('not a url', 'tickwire.example')).toBe(false);
  });
});
