// Groups metric requests into scans and runs them: every simple aggregate of the ruleset (any
// where clause, as a filtered aggregate) in one SELECT over the primary relation, then the
// frequency tables that remain (see rules.ts for the metrics that avoid them) in one statement. A
// failing batch falls back to per-request queries so that one bad expression only fails its own rules.
import type { DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_SPILL_DIRECTORY } from '../paths';
import {
  type AggRequest,
  aggSql,
  type FreqRequest,
  type FreqStats,
  type MetricRequest,
  requestKey,
} from './metrics';
import { errorText, queryArrays, quoteLiteral } from './sql';

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
    await this.runFreqs([...freqs.values()], store);
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
    for (const f of freqs.filter((x) => x.sparse)) {
      this.stats.scans++;
      try {
        store.set(f, {
          ok: true,
          value: await sortedFrequency(this.connection, this.relation, f, this.trace),
        });
      } catch (err) {
        store.set(f, { ok: false, error: errorText(err) });
      }
    }
    await this.runGroupedFreqs(
      freqs.filter((x) => !x.sparse),
      store,
    );
  }

  private async runGroupedFreqs(freqs: FreqRequest[], store: MetricStore): Promise<void> {
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
      for (const f of freqs) await this.runGroupedFreqs([f], store);
    }
  }
}

function numberCell(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  return typeof v === 'number' ? v : Number(v);
}

/**
 * Groups per row in DuckDB's perfect hash aggregate (a direct-indexed array instead of a hash
 * table, used when the columns' statistics bound the key to this many bits). DuckDB's default, 12,
 * leaves e.g. a 100k-value customer id to the general hash aggregate, 5× slower (bench/dq.ts);
 * 2^20 slots stay small (a count per slot).
 */
const PERFECT_HASH_BITS = 20;

/** Rows whose grouping columns are not all NULL (Deequ leaves those out), under the where clause. */
function freqWhere(f: FreqRequest): string {
  const notAllNull = `(${f.columns.map((c) => `${c} IS NOT NULL`).join(' OR ')})`;
  return f.where ? `${f.where} AND ${notAllNull}` : notAllNull;
}

/**
 * DuckDB memory for a sorted frequency (spilling to disk beyond it): a 50M-row key stays under
 * 1 GB RSS, where a hash table of every value took 2.4–2.7 GB (bench/dq.ts).
 */
const SORT_MEMORY_LIMIT = '700MB';

/** Bits of the filter of shared hashes: 512 KiB, so one shared hash lets ~1 in 4M other rows through. */
const SHARED_HASH_BITS = 2 ** 22;

/**
 * Exact frequency statistics of a (nearly) unique key without a hash table of every value. The
 * rows' 64-bit hashes are sorted (DuckDB's sort spills under SORT_MEMORY_LIMIT) and compared with
 * their neighbours: a hash that occurs once belongs to a value that occurs once, so a unique key
 * needs the sort alone. The same pass sets a bit per shared hash (duplicates, or the rare true
 * collision) in a Bloom-style filter; one scan then groups by value only the rows the filter lets
 * through. Every row it keeps out has an unshared hash, hence a value of its own, so the result is
 * exact, as Glue's is, whatever the filter's false positives.
 */
async function sortedFrequency(
  connection: DuckDBConnection,
  relation: string,
  f: FreqRequest,
  trace?: (sql: string) => void,
): Promise<FreqStats> {
  const columns = f.columns.join(', ');
  const variable = 'autogov_shared_hashes';
  const bit = (h: string) => `(${h} % ${SHARED_HASH_BITS})::INTEGER`;
  // a hash equal to the next one is shared; no such hash (a NULL filter) means every value is unique
  const hashes = `SET VARIABLE ${variable} = (SELECT {
      rows: CAST(count(*) AS DOUBLE),
      shared: bitstring_agg(${bit('h')}, 0, ${SHARED_HASH_BITS - 1}) FILTER (WHERE h = q)}
    FROM (SELECT h, lead(h) OVER (ORDER BY h) AS q
      FROM (SELECT hash(${columns}) AS h FROM ${relation} WHERE ${freqWhere(f)})))`;
  const counts = `SELECT getvariable('${variable}').rows, getvariable('${variable}').shared IS NULL`;
  const shared = `SELECT CAST(sum(cnt) AS DOUBLE), CAST(count(*) AS DOUBLE),
    CAST(count(*) FILTER (WHERE cnt = 1) AS DOUBLE), CAST(sum(cnt * ln(cnt)) AS DOUBLE)
    FROM (SELECT count(*) AS cnt FROM ${relation}
      WHERE ${freqWhere(f)} AND get_bit(getvariable('${variable}').shared, ${bit(`hash(${columns})`)}) = 1
      GROUP BY ${columns})`;
  return withSpillLimit(connection, async () => {
    try {
      trace?.(hashes);
      await connection.run(hashes);
      const [rowsCell, allUnique] = (await queryArrays(connection, counts)).rows[0]!;
      const rows = numberCell(rowsCell);
      if (allUnique) return { rows, distinct: rows, unique: rows, sumCLogC: 0 };
      trace?.(shared);
      const [kept, distinct, unique, sumCLogC] = (await queryArrays(connection, shared)).rows[0]!.map(
        numberCell,
      ) as [number, number, number, number];
      return { rows, distinct: rows - kept + distinct, unique: rows - kept + unique, sumCLogC };
    } finally {
      await connection.run(`RESET VARIABLE ${variable}`);
    }
  });
}

/**
 * Runs `fn` with DuckDB's memory limit set to SORT_MEMORY_LIMIT, then restores it. Spill files go to
 * DUCKDB_SPILL_DIRECTORY, set once and kept: DuckDB refuses to switch the folder again once used.
 */
async function withSpillLimit<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  const { rows } = await queryArrays(
    connection,
    "SELECT current_setting('memory_limit'), current_setting('temp_directory')",
  );
  const [memory, temp] = rows[0]!.map(String) as [string, string];
  // A connection confined to its files (src/sql/sandbox.ts) already spills there and may not change it.
  if (temp !== DUCKDB_SPILL_DIRECTORY)
    await connection.run(`SET temp_directory = ${quoteLiteral(DUCKDB_SPILL_DIRECTORY)}`);
  await connection.run(`SET memory_limit = '${SORT_MEMORY_LIMIT}'`);
  try {
    return await fn();
  } finally {
    await connection.run(`SET memory_limit = ${quoteLiteral(memory)}`);
  }
}

/**
 * Frequency statistics of several column groups, in one statement: a `GROUP BY` per group (a
 * UNION ALL, each branch reading only its own columns under its own where clause). Separate
 * groupings, not GROUPING SETS, so that each can use the perfect hash aggregate.
 */
async function frequencyScan(
  connection: DuckDBConnection,
  relation: string,
  freqs: FreqRequest[],
  trace?: (sql: string) => void,
): Promise<FreqStats[]> {
  const branches = freqs.map((f, i) => {
    const where = freqWhere(f);
    return `SELECT ${i} AS gid, CAST(sum(cnt) AS DOUBLE), CAST(count(*) AS DOUBLE),
      CAST(count(*) FILTER (WHERE cnt = 1) AS DOUBLE), CAST(sum(cnt * ln(cnt)) AS DOUBLE)
      FROM (SELECT count(*) AS cnt FROM ${relation} WHERE ${where} GROUP BY ${f.columns.join(', ')})`;
  });
  const sql = branches.join('\nUNION ALL\n');
  trace?.(sql);
  const rows = await withPerfectHash(connection, async () => (await queryArrays(connection, sql)).rows);
  const byGid = new Map(rows.map((r) => [Number(r[0]), r]));
  return freqs.map((_, i) => {
    const r = byGid.get(i);
    if (!r || r[1] === null) return { rows: 0, distinct: 0, unique: 0, sumCLogC: 0 };
    return {
      rows: numberCell(r[1]),
      distinct: numberCell(r[2]),
      unique: numberCell(r[3]),
      sumCLogC: numberCell(r[4]),
    };
  });
}

/** Runs `fn` with the session's perfect hash threshold raised to PERFECT_HASH_BITS, then restores it. */
export async function withPerfectHash<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  let old: number | undefined;
  try {
    const { rows } = await queryArrays(connection, "SELECT current_setting('perfect_ht_threshold')");
    const current = Number(rows[0]?.[0]);
    if (current < PERFECT_HASH_BITS) {
      await connection.run(`SET SESSION perfect_ht_threshold = ${PERFECT_HASH_BITS}`);
      old = current;
    }
  } catch {
    // a locked configuration: the statement is only slower
  }
  try {
    return await fn();
  } finally {
    if (old !== undefined) await connection.run(`SET SESSION perfect_ht_threshold = ${old}`);
  }
}
