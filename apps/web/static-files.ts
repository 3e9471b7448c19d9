// Where the web process finds the files it serves as they are on disk: the demo page's folder
// (tsc does not copy it to dist/) and the browser libraries it imports from node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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

/** The demo page: index.html, its stylesheet and its modules. The Dockerfile copies this path. */
export const PUBLIC_DIR = path.join(packageRoot(import.meta.dirname), 'apps', 'web', 'public');

const packageDist = (name: string) => path.join(path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), 'dist');

/**
 * The browser libraries the page imports, served from node_modules under /vendor/ (no CDN, so the
 * page keeps a 'self'-only CSP), each found by Node's own resolution so a hoisted or nested
 * node_modules both work: socket.io-client's ES module bundle (the same version as the server)
 * and uPlot, a small canvas chart library, with its stylesheet.
 */
const socketIoClient = packageDist('socket.io-client');
const uPlot = packageDist('uplot');
export const VENDOR_FILES = {
  'socket.io.esm.min.js': path.join(socketIoClient, 'socket.io.esm.min.js'),
  'socket.io.esm.min.js.map': path.join(socketIoClient, 'socket.io.esm.min.js.map'),
  'uPlot.esm.js': path.join(uPlot, 'uPlot.esm.js'),
  'uPlot.min.css': path.join(uPlot, 'uPlot.min.css'),
} as const;
