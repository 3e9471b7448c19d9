// The number of connected (authenticated) sockets of a web process, read when metrics are taken,
// so it never drifts from the server's own count. Summed across web processes in /metrics.
import { Gauge, type Registry } from 'prom-client';

export function trackConnectedSockets(registry: Registry, connected: () => number): void {
  new Gauge({
    name: 'tickwire_sockets_connected',
    help: 'Socket.IO clients connected and authenticated',
    aggregator: 'sum',
    registers: [registry],
    collect() {
      this.set(connected());
    },
  });
}
