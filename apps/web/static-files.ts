// Where the web process finds the files it serves as they are on disk: the demo page's folder
// (tsc does not copy it to dist/) and the Socket.IO browser client shipped with socket.io-client.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder up with a package.json. Walking up rather than a fixed
 * `../..` makes the same answer come out of apps/web (jest runs the sources) and dist/apps/web
 * (the processes), and from any working directory.
 */
export function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/** The demo page: index.html, its stylesheet and its modules. The Dockerfile copies this path. */
export const PUBLIC_DIR = path.join(packageRoot(here), 'apps', 'web', 'public');

/**
 * socket.io-client's ready-made ES module bundle, found by Node's own resolution (so a hoisted or
 * nested node_modules both work); it is the same package version as the server's.
 */
const clientDist = path.join(path.dirname(createRequire(import.meta.url).resolve('socket.io-client/package.json')), 'dist');
export const SOCKET_IO_CLIENT_FILES = {
  'socket.io.esm.min.js': path.join(clientDist, 'socket.io.esm.min.js'),
  'socket.io.esm.min.js.map': path.join(clientDist, 'socket.io.esm.min.js.map'),
} as const;
