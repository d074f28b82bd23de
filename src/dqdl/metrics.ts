// Metric requests (Deequ-style analyzers) and their SQL. A rule asks for metrics; the planner
// (plan.ts) batches all requests of a ruleset into as few DuckDB scans as possible.

/**
 * A simple aggregate over the primary relation: one aggregate call (`count(*)`, `avg(x)`, …),
 * optionally restricted to the rows of a where clause and/or a row filter. All of them share a
 * single `SELECT agg1 FILTER (…), agg2 …, FROM primary` scan.
 */
export interface AggRequest {
  kind: 'agg';
  /** one aggregate call, without FILTER */
  expr: string;
  /** DuckDB predicate of the rule's where clause (already rewritten from Spark SQL) */
  where?: string;
  /** additional row predicate (e.g. a ColumnValues condition) */
  filter?: string;
  /** scalar function applied to the aggregate's result, NULL read as 0 (`bit_count` of a `bitstring_agg`) */
  outer?: string;
}

/**
 * Frequency statistics of a column group (Uniqueness, UniqueValueRatio, Entropy,
 * DistinctValuesCount, IsPrimaryKey). Rows whose grouping columns are all NULL are excluded, as
 * Deequ does. All groups of one where clause share one GROUPING SETS scan.
 */
export interface FreqRequest {
  kind: 'freq';
  /** SQL expressions of the grouping columns */
  columns: string[];
  where?: string;
  /**
   * A key expected to be (nearly) unique, with no small integer range: computed by sorting row
   * hashes under a memory limit (plan.ts, sortedFrequency) instead of a hash table holding every
   * value — same exact result, bounded memory.
   */
  sparse?: boolean;
}

export type MetricRequest = AggRequest | FreqRequest;

export interface FreqStats {
  /** rows with at least one non-NULL grouping value */
  rows: number;
  /** distinct non-all-NULL groups */
  distinct: number;
  /** groups occurring exactly once */
  unique: number;
  /** Σ count·ln(count) over groups, for entropy */
  sumCLogC: number;
}

export function requestKey(r: MetricRequest): string {
  return r.kind === 'agg'
    ? `agg\u0000${r.expr}\u0000${r.where ?? ''}\u0000${r.filter ?? ''}\u0000${r.outer ?? ''}`
    : `freq\u0000${r.columns.join('\u0001')}\u0000${r.where ?? ''}\u0000${r.sparse ? 'sparse' : ''}`;
}

/**
 * The aggregate as a DOUBLE-valued select item. A filtered row count is a `count_if`: in DuckDB a
 * FILTER clause costs a selection pass per aggregate, several times a boolean sum (measured with
 * bench/dq.ts). `count_if` ignores NULL like FILTER does, but is NULL over no input: hence COALESCE.
 */
export function aggSql(r: AggRequest): string {
  const preds = [r.where, r.filter].filter((p): p is string => !!p).map((p) => `(${p})`);
  if (r.expr === 'count(*)' && preds.length && !r.outer)
    return `CAST(COALESCE(count_if(${preds.join(' AND ')}), 0) AS DOUBLE)`;
  const call = `${r.expr}${preds.length ? ` FILTER (WHERE ${preds.join(' AND ')})` : ''}`;
  return `CAST(${r.outer ? `COALESCE(${r.outer}(${call}), 0)` : call} AS DOUBLE)`;
}

// ---- derived metrics --------------------------------------------------------------------

export const count = (where?: string, filter?: string): AggRequest => ({
  kind: 'agg',
  expr: 'count(*)',
  where,
  filter,
});
/** Non-NULL values of `col`; under a where clause a filtered row count (see aggSql). */
export const countNonNull = (col: string, where?: string): AggRequest =>
  where ? count(where, `${col} IS NOT NULL`) : { kind: 'agg', expr: `count(${col})` };

/**
 * Exact number of distinct non-NULL values of one column. With `bits` (the column's integer bounds,
 * from DuckDB's statistics) it is the popcount of a bitmap (`bitstring_agg`): a pass over the data
 * with no hashing, ~7× cheaper than `count(DISTINCT)` on 5M keys. NULL (no values) reads as 0.
 */
export const distinctCount = (col: string, where?: string, bits?: [bigint, bigint]): AggRequest =>
  bits
    ? { kind: 'agg', expr: `bitstring_agg(${col}, ${bits[0]}, ${bits[1]})`, where, outer: 'bit_count' }
    : { kind: 'agg', expr: `count(DISTINCT ${col})`, where };
export const agg = (fn: string, col: string, where?: string): AggRequest => ({
  kind: 'agg',
  expr: `${fn}(${col})`,
  where,
});

export function entropy(s: FreqStats): number {
  if (s.rows === 0) return Number.NaN;
  return Math.log(s.rows) - s.sumCLogC / s.rows;
}

export function uniqueness(s: FreqStats): number {
  return s.rows === 0 ? Number.NaN : s.unique / s.rows;
}

export function uniqueValueRatio(s: FreqStats): number {
  return s.distinct === 0 ? Number.NaN : s.unique / s.distinct;
}

/** Metric name of a single- or multi-column metric, as Glue/Deequ name them. */
export function columnMetric(columns: string[], name: string): string {
  return columns.length === 1 ? `Column.${columns[0]}.${name}` : `Multicolumn.${columns.join(',')}.${name}`;
}
