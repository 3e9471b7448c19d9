// One simulated quote, and one simulated chart bar: pure functions of the symbol and the clock.
import type { ChartPoint, ProviderQuote } from '../provider.js';
import { hashString, mix, roundPrice, walkOffset } from './random-walk.js';
import { SIMULATED_UNIVERSE } from './universe.js';

const DAY_MS = 86_400_000;
/** How often prices move. */
const STEP_MS = 1000;
/** The day's high and low are sampled on this grid (plus the open and the current price). */
const DAY_SAMPLE_MS = 30 * 60_000;

export function simulatedSymbol(symbol: string) {
  const seed = hashString(symbol);
  const listing = SIMULATED_UNIVERSE.find((entry) => entry.symbol === symbol);
  return {
    symbol,
    seed,
    // Outside the universe: 20 to 500, fixed by the hash.
    basePrice: listing?.basePrice ?? 20 + (mix(seed, 7) % 48_000) / 100,
    name: listing?.name ?? null,
    /** Shares traded per step, on average. */
    volumeRate: 200 + (mix(seed, 11) % 4800),
  };
}

type SimulatedSymbol = ReturnType<typeof simulatedSymbol>;

const priceAtStep = (sym: SimulatedSymbol, step: number): number => roundPrice(sym.basePrice * Math.exp(walkOffset(sym.seed, step)));

export function simulateQuote(symbol: string, nowMs: number): ProviderQuote {
  const sym = simulatedSymbol(symbol);
  const step = Math.floor(nowMs / STEP_MS);
  const dayStartStep = Math.ceil((Math.floor(nowMs / DAY_MS) * DAY_MS) / STEP_MS);
  const price = priceAtStep(sym, step);
  const open = priceAtStep(sym, dayStartStep);
  const previousClose = priceAtStep(sym, dayStartStep - 1);
  const dayPrices = [price, open];
  const sampleSteps = Math.max(1, Math.round(DAY_SAMPLE_MS / STEP_MS));
  for (let sample = dayStartStep + sampleSteps; sample < step; sample += sampleSteps) {
    dayPrices.push(priceAtStep(sym, sample));
  }
  return {
    symbol: sym.symbol,
    shortName: sym.name,
    price,
    change: roundPrice(price - previousClose),
    changePercent: Math.round(((price - previousClose) / previousClose) * 100 * 10_000) / 10_000,
    // Since the start of the (UTC) day: grows by rate ± rate/2 each step, so it never falls.
    volume: sym.volumeRate * (step - dayStartStep) + (mix(sym.seed, 13, step) % Math.max(1, Math.floor(sym.volumeRate / 2))),
    marketState: 'REGULAR',
    currency: 'USD',
    exchange: 'SIM',
    previousClose,
    open,
    dayHigh: Math.max(...dayPrices),
    dayLow: Math.min(...dayPrices),
    timestamp: new Date(step * STEP_MS).toISOString(),
    source: 'simulated',
  };
}

/** The bar starting at `startMs` and lasting `lengthMs` (cut at `nowMs` for the running bar). */
export function simulateBar(sym: SimulatedSymbol, startMs: number, lengthMs: number, nowMs: number): ChartPoint {
  const endMs = Math.min(startMs + lengthMs - STEP_MS, nowMs);
  const samples = [0, 0.25, 0.5, 0.75, 1].map((part) => priceAtStep(sym, Math.floor((startMs + (endMs - startMs) * part) / STEP_MS)));
  const open = samples[0] ?? 0;
  const close = samples[samples.length - 1] ?? open;
  const steps = Math.max(1, Math.round((endMs - startMs) / STEP_MS));
  return {
    time: new Date(startMs).toISOString(),
    open,
    high: Math.max(...samples),
    low: Math.min(...samples),
    close,
    volume: Math.round(sym.volumeRate * steps * (0.5 + (mix(sym.seed, 17, startMs) % 1000) / 1000)),
  };
}
