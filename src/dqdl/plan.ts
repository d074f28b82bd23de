// Groups metric requests into scans and runs them: every simple aggregate of the ruleset (any
// where clause, as FILTER) in one SELECT over the primary relation, and the frequency-based
// metrics of each where clause in one GROUPING SETS scan. A failing batch falls back to
// per-request queries so that one bad expression only fails its own rules.
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type AggRequest,
  aggSql,
  type FreqRequest,
  type FreqStats,
  type MetricRequest,
  requestKey,
} from './metrics';
import { errorText, queryArrays } from './sql';

export type MetricValue<T> = { ok: true; value: T } | { ok: false; error: string };

export class MetricStore {
  private readonly values = new Map<string, MetricValue<number | FreqStats>>();

  set(r: MetricRequest, v: MetricValue<number | FreqStats>): void {
    this.values.set(requestKey(r), v);
  }

  agg(r: AggRequest): MetricValue<number> {
    const v = this.values.get(requestKey(r));
    if (!v) return { ok: false, error: 'metric was not computed' };
    return v as MetricValue<number>;
  }

  freq(r: FreqRequest): MetricValue<FreqStats> {
    const v = this.values.get(requestKey(r));
    if (!v) return { ok: false, error: 'metric was not computed' };
    return v as MetricValue<FreqStats>;
  }
}

export interface ScanStats {
  /** queries run against the primary relation for aggregate/frequency metrics */
  scans: number;
}

export class Planner {
  private readonly aggs = new Map<string, AggRequest>();
  private readonly freqs = new Map<string, FreqRequest>();
  private readonly fallbacks: { request: FreqRequest; needed: (store: MetricStore) => boolean }[] = [];
  readonly stats: ScanStats = { scans: 0 };

  constructor(
    private readonly connection: DuckDBConnection,
    /** quoted primary relation */
    private readonly relation: string,
    /** observer of every scan query (tests, debugging) */
    private readonly trace?: (sql: string) => void,
  ) {}

  add(r: MetricRequest): void {
    if (r.kind === 'agg') this.aggs.set(requestKey(r), r);
    else this.freqs.set(requestKey(r), r);
  }

  /**
   * A frequency table needed only when the aggregates say so (e.g. the exact Uniqueness of a column
   * whose distinct count is not its value count): decided after the aggregate scan.
   */
  addFallback(request: FreqRequest, needed: (store: MetricStore) => boolean): void {
    this.fallbacks.push({ request, needed });
  }

  async run(): Promise<MetricStore> {
    const store = new MetricStore();
    await this.runAggs([...this.aggs.values()], store);
    const freqs = new Map(this.freqs);
    for (const f of this.fallbacks) if (f.needed(store)) freqs.set(requestKey(f.request), f.request);
    const byWhere = new Map<string, FreqRequest[]>();
    for (const f of freqs.values()) {
      const k = f.where ?? '';
      byWhere.set(k, [...(byWhere.get(k) ?? []), f]);
    }
    for (const group of byWhere.values()) await this.runFreqs(group, store);
    return store;
  }

  private async runAggs(aggs: AggRequest[], store: MetricStore): Promise<void> {
    if (aggs.length === 0) return;
    try {
      this.stats.scans++;
      const sql = `SELECT ${aggs.map(aggSql).join(', ')} FROM ${this.relation}`;
      this.trace?.(sql);
      const { rows } = await queryArrays(this.connection, sql);
      aggs.forEach((a, i) => {
        store.set(a, { ok: true, value: numberCell(rows[0]?.[i]) });
      });
    } catch (err) {
      if (aggs.length === 1) {
        store.set(aggs[0]!, { ok: false, error: errorText(err) });
        return;
      }
      // isolate the failing expression(s): split in halves
      const mid = Math.ceil(aggs.length / 2);
      await this.runAggs(aggs.slice(0, mid), store);
      await this.runAggs(aggs.slice(mid), store);
    }
  }

  private async runFreqs(freqs: FreqRequest[], store: MetricStore): Promise<void> {
    if (freqs.length === 0) return;
    try {
      this.stats.scans++;
      const results = await frequencyScan(this.connection, this.relation, freqs, this.trace);
      freqs.forEach((f, i) => {
        store.set(f, { ok: true, value: results[i]! });
      });
    } catch (err) {
      if (freqs.length === 1) {
        store.set(freqs[0]!, { ok: false, error: errorText(err) });
        return;
      }
      for (const f of freqs) await this.runFreqs([f], store);
    }
  }
}

function numberCell(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  return typeof v === 'number' ? v : Number(v);
}

/** One scan computing frequency statistics for several column groups that share a where clause. */
async function frequencyScan(
  connection: DuckDBConnection,
  relation: string,
  freqs: FreqRequest[],
  trace?: (sql: string) => void,
): Promise<FreqStats[]> {
  const where = freqs[0]!.where;
  const cols = [...new Set(freqs.flatMap((f) => f.columns))];
  const alias = new Map(cols.map((c, i) => [c, `__g${i}`]));
  const select = cols.map((c) => `${c} AS ${alias.get(c)}`).join(', ');
  const sets = freqs.map((f) => `(${f.columns.map((c) => alias.get(c)).join(', ')})`);
  const uniqueSets = [...new Set(sets)];
  const all = cols.map((c) => alias.get(c)!);
  // GROUPING(all…) identifies the set: bit i (from the left) is 1 when column i is not grouped.
  const maskOf = (f: FreqRequest) =>
    all.reduce(
      (m, a, i) => m | (f.columns.some((c) => alias.get(c) === a) ? 0 : 1 << (all.length - 1 - i)),
      0,
    );
  const notAllNull = (f: FreqRequest) =>
    `(${f.columns.map((c) => `${alias.get(c)} IS NOT NULL`).join(' OR ')})`;
  const cases = freqs.map((f) => `WHEN ${maskOf(f)} THEN ${notAllNull(f)}`).join(' ');
  const grouping =
    uniqueSets.length === 1
      ? `GROUP BY ${uniqueSets[0]!.slice(1, -1)}`
      : `GROUP BY GROUPING SETS (${uniqueSets.join(', ')})`;
  const gid = uniqueSets.length === 1 ? `${maskOf(freqs[0]!)}` : `GROUPING(${all.join(', ')})`;
  const sql = `
    WITH src AS (SELECT ${select} FROM ${relation}${where ? ` WHERE ${where}` : ''}),
    freq AS (SELECT ${gid} AS gid, ${all.join(', ')}, count(*) AS cnt FROM src ${grouping})
    SELECT gid, CAST(sum(cnt) AS DOUBLE), CAST(count(*) AS DOUBLE), CAST(count(*) FILTER (WHERE cnt = 1) AS DOUBLE),
      CAST(sum(cnt * ln(cnt)) AS DOUBLE)
    FROM freq WHERE CASE gid ${cases} ELSE false END GROUP BY gid`;
  trace?.(sql);
  const { rows } = await queryArrays(connection, sql);
  const byGid = new Map(rows.map((r) => [Number(r[0]), r]));
  return freqs.map((f) => {
    const r = byGid.get(maskOf(f));
    if (!r) return { rows: 0, distinct: 0, unique: 0, sumCLogC: 0 };
    return {
      rows: numberCell(r[1]),
      distinct: numberCell(r[2]),
      unique: numberCell(r[3]),
      sumCLogC: numberCell(r[4]),
    };
  });
}
