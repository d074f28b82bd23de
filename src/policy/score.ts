import type { Governance } from '../config/schema';
import type { RuleResult } from '../findings/schema';

/** The dq_tag value of a score (0–1 ratio): the first band, highest first, whose min the score reaches. */
export function qualityBand(score: number | null, bands: Governance['scoreBands']): string {
  // No rules means quality was not measured: fail closed to the lowest band.
  if (score === null) return bands.at(-1)!.value;
  // Round to avoid 0.9 * 100 = 89.99999999999999 landing a band too low.
  const percent = Math.round(score * 100 * 1e6) / 1e6;
  return (bands.find((b) => percent >= b.min) ?? bands.at(-1)!).value;
}

/** Rules passed and rules run: the numerator and denominator of Glue's score. */
export function ruleTally(rules: readonly RuleResult[]): { passed: number; total: number } {
  return { passed: rules.filter((r) => r.outcome === 'PASS').length, total: rules.length };
}
