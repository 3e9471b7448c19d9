// Keeps one core busy `percent` % of the time (busy for percent ms of every 100 ms), to measure
// Tickwire with its cores shared, as on a loaded production box. bench/fanout.ts forks one per
// core with --burn; on its own: node dist/bench/support/cpu-burner.js 50.
const percent = Math.max(0, Math.min(100, Number(process.argv[2] ?? 50)));
const SLICE_MS = 100;

function burn(): void {
  const until = performance.now() + (SLICE_MS * percent) / 100;
  let x = 0;
  while (performance.now() < until) x += Math.sqrt(x + 1);
  setTimeout(burn, SLICE_MS - (SLICE_MS * percent) / 100);
}

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
burn();
