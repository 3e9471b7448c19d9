export default async function globalTeardown() {
  await globalThis.__tickwireInfra?.stop();
}
