// A deterministic random walk: the price of a symbol at a time step is a pure function of the two,
// so every process computes the same price without sharing state. The walk is a sum of value-noise
// octaves (period 2^k steps, amplitude √period, as a Brownian path scales), so one price costs
// O(octaves) instead of replaying every step since the epoch.

/** FNV-1a, 32 bits: a stable hash of a symbol. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes integers into a well-spread 32-bit value (murmur3's finaliser over a running combination). */
export function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    // Split so steps beyond 2^32 still change the hash.
    const low = value % 0x1_0000_0000;
    const high = Math.floor(value / 0x1_0000_0000);
    for (const part of [low, high]) {
      h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** Uniform in [-1, 1] for one lattice point of one octave. */
const latticeNoise = (seed: number, octave: number, index: number): number => (mix(seed, octave, index) / 0xffff_ffff) * 2 - 1;

/** 2^21 steps (about 24 days at one step a second) is the slowest swing the walk has. */
const OCTAVES = 22;
/**
 * Scales the walk: about 0.01 % a step, a couple of percent over a day, tens of percent over
 * weeks (the level stays bounded, so a demo never drifts to zero).
 */
const VOLATILITY = 1.2e-4;

/** The walk's log-offset from the base price at `step` (an integer), for the symbol's `seed`. */
export function walkOffset(seed: number, step: number): number {
  let total = 0;
  for (let octave = 0; octave < OCTAVES; octave += 1) {
    const period = 2 ** octave;
    const index = Math.floor(step / period);
    const fraction = (step - index * period) / period;
    const eased = fraction * fraction * (3 - 2 * fraction);
    const from = latticeNoise(seed, octave, index);
    const to = latticeNoise(seed, octave, index + 1);
    total += (from + (to - from) * eased) * Math.sqrt(period);
  }
  return total * VOLATILITY;
}

/** Rounds to cents, or to 4 decimals under a dollar (as quotes are shown). */
export function roundPrice(value: number): number {
  const factor = value < 1 ? 10_000 : 100;
  return Math.round(value * factor) / factor;
}
