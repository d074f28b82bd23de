/**
 * When a column's verdict is settled before every sampled cell is read.
 *
 * The cells are read in a uniformly random order, so after n of them the matched fraction p̂ is
 * the mean of a sample drawn without replacement from the column's sample, whose exact fraction p
 * is what Glue's classify_columns compares against the threshold t. The Chernoff bound
 * (which holds without replacement too, Hoeffding 1963 §6) gives
 *   P(p̂ ≥ q | p < t) ≤ exp(−n·KL(q‖t)) for q > t, and P(p̂ ≤ q | p ≥ t) ≤ exp(−n·KL(q‖t)) for q < t,
 * KL being the Bernoulli relative entropy. The verdict is tested only at checkpoints
 * ⌈MIN_CELLS·1.25^k⌉; splitting the error bound δ over at most MAX_CHECKPOINTS checkpoints and over the
 * column's entity types (a union bound), a column stopped early reports a different set of types
 * than the exact fraction would with probability at most δ.
 */

/** No column stops before this many cells: small tables are always classified exactly. */
export const MIN_CELLS = 100;
/** Checkpoints ⌈MIN_CELLS·1.25^k⌉ for k < 80 reach past 10^9 cells, more than a process holds. */
const MAX_CHECKPOINTS = 80;
const CHECKPOINTS = new Set(
  Array.from({ length: MAX_CHECKPOINTS }, (_, k) => Math.ceil(MIN_CELLS * 1.25 ** k)),
);

/** Bernoulli relative entropy KL(q‖p), in nats. */
function kl(q: number, p: number): number {
  const term = (a: number, b: number) =>
    a === 0 ? 0 : b === 0 ? Number.POSITIVE_INFINITY : a * Math.log(a / b);
  return term(q, p) + term(1 - q, 1 - p);
}

export interface SettleRule {
  /** ln(1 / per-checkpoint, per-type error) */
  logInverseError: number;
}

/** The per-checkpoint test for a column classified on `types` entity types with error bound δ. */
export function settleRule(errorBound: number, types: number): SettleRule {
  if (!(errorBound > 0 && errorBound < 1))
    throw new RangeError(`errorBound must be within (0, 1), got ${errorBound}`);
  return { logInverseError: Math.log((MAX_CHECKPOINTS * Math.max(1, types)) / errorBound) };
}

/** Whether n cells are a checkpoint. */
export function isCheckpoint(n: number): boolean {
  return CHECKPOINTS.has(n);
}

/** Whether `matched` of `examined` random cells decide "fraction ≥ threshold" within the rule's error. */
export function verdictSettled(
  matched: number,
  examined: number,
  threshold: number,
  rule: SettleRule,
): boolean {
  const observed = matched / examined;
  if (observed === threshold) return false;
  return examined * kl(observed, threshold) >= rule.logInverseError;
}
