import { removeRunData } from './global-setup.mjs';

export default async function globalTeardown() {
  await globalThis.__tickwireInfra?.infra.stop();
  await removeRunData();
}
