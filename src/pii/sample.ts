/**
 * Deterministic Bernoulli row sampling: each of n rows is kept with probability `fraction`,
 * decided by a seeded PRNG, so the same (n, fraction, seed) always yields the same rows.
 * Mirrors Glue's sampleFraction for callers that sample in memory.
 */
export function sampleRows(n: number, fraction: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(fraction >= 0 && fraction <= 1))
    throw new RangeError(`fraction must be within [0, 1], got ${fraction}`);
  if (fraction === 1) return Array.from({ length: n }, (_, i) => i);
  const next = mulberry32(seed);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (next() < fraction) rows.push(i);
  return rows;
}

/** Small, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
