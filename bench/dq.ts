// Benchmark of the DQDL evaluator (npm run bench:dq → `tsx bench/dq.ts [rows]`): a realistic 20-rule
// ruleset over a generated Parquet file vs. the floor of a single scan computing one aggregate per
// column of the same file. Prints both times and their ratio (target ≤ 1.5), medians of 5 runs
// alternating with the baseline after a warm-up, as the machine may be shared; then the ruleset
// against the hand-written DuckDB SQL of the same 20 rules (target ≤ 1.1). A second ruleset
// swaps the two rules over high-cardinality columns (IsUnique on the 5M-value key, a bitmap over
// its integer range; UniqueValueRatio on customer_id, a frequency table) for scan-only rules, as
// a measure of what they cost. Then where the time
// goes (each statement alone; the marginal ratio of the costliest rules) and the realistic rules
// evaluated one at a time, to show what batching saves. A benchmark script, not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Ruleset } from '../src/dqdl/ast';
import { evaluateRuleset } from '../src/dqdl/evaluate';
import { parseDqdl } from '../src/dqdl/parse';
import { withPerfectHash } from '../src/dqdl/plan';

const ROWS = Number(process.argv[2] ?? 5_000_000);

const RULESET = `Rules = [
  RowCount > 1000000,
  ColumnCount = 10,
  IsComplete "order_id",
  IsUnique "order_id",
  Completeness "email" > 0.9,
  ColumnLength "email" <= 64,
  ColumnValues "country" in ["FR", "DE", "ES", "IT", "NL", "BE", "PL", "SE", "DK", "FI", "AT", "PT"],
  ColumnValues "amount" between -1 and 10000,
  Mean "amount" between 10 and 1000,
  Sum "quantity" > 0,
  StandardDeviation "amount" < 1000,
  ColumnValues "status" in ["new", "paid", "shipped", "returned", "cancelled"] with threshold > 0.99,
  DistinctValuesCount "status" = 5,
  Entropy "country" > 1,
  Completeness "amount" > 0.9 where "status = 'shipped'",
  ColumnValues "created_at" > "2020-01-01",
  ColumnCorrelation "amount" "quantity" between -1 and 1,
  UniqueValueRatio "customer_id" < 1,
  ColumnExists "load_dt",
  DataFreshness "load_dt" <= 3650 days
]`;

/** RULESET's metrics as one hand-written scan (the comparison the ruleset must stay within 1.1× of). */
const HAND_WRITTEN_SQL = `SELECT
  count(*) > 1000000,
  count(order_id) = count(*),
  count(DISTINCT order_id) = count(order_id),
  count(email) / count(*) > 0.9,
  count_if(length(email) > 64) = 0,
  count_if(country NOT IN ('FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'PL', 'SE', 'DK', 'FI', 'AT', 'PT')) = 0,
  count_if(amount NOT BETWEEN -1 AND 10000) = 0,
  avg(amount) BETWEEN 10 AND 1000,
  sum(quantity) > 0,
  stddev_samp(amount) < 1000,
  count_if(status IN ('new', 'paid', 'shipped', 'returned', 'cancelled')) / count(*) > 0.99,
  count(DISTINCT status) = 5,
  entropy(country) > 1,
  count(amount) FILTER (WHERE status = 'shipped') / count(*) FILTER (WHERE status = 'shipped') > 0.9,
  count_if(created_at <= TIMESTAMP '2020-01-01') = 0,
  corr(amount, quantity) BETWEEN -1 AND 1,
  date_diff('day', min(load_dt), DATE '2024-12-31') <= 3650
FROM orders`;
const HAND_WRITTEN_FREQUENCY_SQL = `SELECT count(*) FILTER (WHERE c = 1) / count(*) < 1
FROM (SELECT count(*) AS c FROM orders WHERE customer_id IS NOT NULL GROUP BY customer_id)`;

/** The same size and shape without frequency tables over high-cardinality columns. */
const SCAN_ONLY = RULESET.replace('IsUnique "order_id"', 'IsComplete "customer_id"').replace(
  'UniqueValueRatio "customer_id" < 1',
  'Mean "quantity" between 1 and 10',
);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-dq-'));
  const file = path.join(dir, 'orders.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const t0 = performance.now();
    await connection.run(`
      COPY (
        SELECT
          i AS order_id,
          (hash(i) % 100000)::INTEGER AS customer_id,
          CASE WHEN i % 20 = 0 THEN NULL ELSE 'user' || (hash(i) % 1000000)::VARCHAR || '@example.com' END AS email,
          (['FR','DE','ES','IT','NL','BE','PL','SE','DK','FI','AT','PT'])[1 + (hash(i * 7) % 12)::INTEGER] AS country,
          CASE WHEN i % 50 = 0 THEN NULL ELSE round((hash(i * 13) % 100000) / 100.0, 2) END AS amount,
          (1 + hash(i * 17) % 10)::INTEGER AS quantity,
          (['new','paid','shipped','returned','cancelled'])[1 + (hash(i * 19) % 5)::INTEGER] AS status,
          TIMESTAMP '2021-01-01' + to_seconds((hash(i * 23) % 94608000)::BIGINT) AS created_at,
          DATE '2024-01-01' + (hash(i * 29) % 365)::INTEGER AS load_dt,
          random() AS score
        FROM range(${ROWS}) t(i)
      ) TO '${file}' (FORMAT parquet)`);
    console.log(
      `generated ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${file}`,
    );
    await connection.run(`CREATE VIEW orders AS SELECT * FROM read_parquet('${file}')`);

    const columns = (await connection.runAndReadAll('DESCRIBE orders'))
      .getRowObjectsJS()
      .map((r) => String(r.column_name));
    const baselineSql = `SELECT ${columns.map((c) => `count("${c}")`).join(', ')} FROM orders`;
    const parse = (text: string) => {
      const parsed = parseDqdl(text);
      if (!parsed.ok) throw new Error(`ruleset does not parse: ${JSON.stringify(parsed.errors)}`);
      if (parsed.ruleset.rules.length !== 20)
        throw new Error(`expected 20 rules, got ${parsed.ruleset.rules.length}`);
      return parsed.ruleset;
    };

    let scans = 0;
    const evaluate = (ruleset: Ruleset) => async () => {
      scans = 0;
      const r = await evaluateRuleset({
        connection,
        primary: 'orders',
        ruleset,
        now: new Date('2024-12-31T00:00:00Z'),
        trace: () => {
          scans++;
        },
      });
      const bad = r.rules.filter((x) => x.outcome === 'ERROR');
      if (bad.length) throw new Error(`rules in error: ${JSON.stringify(bad)}`);
      return r;
    };
    const baseline = async () => {
      await connection.runAndReadAll(baselineSql);
    };

    const once = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    /** Runs the reference (default: the baseline scan) and the candidate alternately (the machine is shared: load drifts), medians of 5. */
    const compare = async (fn: () => Promise<unknown>, reference: () => Promise<unknown> = baseline) => {
      await reference();
      await fn(); // warm-up (file cache, plan caches)
      const base: number[] = [];
      const cand: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < 5; i++) {
        base.push(await once(reference));
        cand.push(await once(fn));
        ratios.push(cand[i]! / base[i]!);
      }
      return { base: median(base), cand: median(cand), ratio: median(ratios) };
    };

    console.log(`baseline: one scan, one aggregate per column (${columns.length} columns)`);
    for (const [label, text] of [
      ['ruleset (realistic, incl. IsUnique on the key)', RULESET],
      ['ruleset (scan-only variant)', SCAN_ONLY],
    ] as const) {
      const run = evaluate(parse(text));
      const c = await compare(run);
      const result = await run();
      console.log(
        `${label}: 20 rules, ${scans} metric scans, score ${result.score?.toFixed(2)}: ${c.cand.toFixed(0)} ms vs baseline ${c.base.toFixed(0)} ms`,
      );
      console.log(`  ratio ${c.ratio.toFixed(2)} (target ≤ 1.5)`);
    }
    // The SQL a person would write by hand for the same 20 rules: every metric of one scan in one
    // SELECT (ColumnCount and ColumnExists are read off the schema), plus the one frequency table.
    const handWritten = async () => {
      await connection.runAndReadAll(HAND_WRITTEN_SQL);
      await connection.runAndReadAll(HAND_WRITTEN_FREQUENCY_SQL);
    };
    const vsHand = await compare(evaluate(parse(RULESET)), handWritten);
    console.log(
      `ruleset (realistic) vs the hand-written SQL of the same rules: ${vsHand.cand.toFixed(0)} ms vs ${vsHand.base.toFixed(0)} ms`,
    );
    console.log(`  ratio ${vsHand.ratio.toFixed(2)} (target ≤ 1.1)`);
    // where the time goes: each statement of the realistic ruleset on its own, and the marginal
    // ratio of the rules that cost most (the ruleset's ratio minus that without the rule)
    const full = parse(RULESET);
    const statements: string[] = [];
    await evaluateRuleset({
      connection,
      primary: 'orders',
      ruleset: full,
      now: new Date('2024-12-31T00:00:00Z'),
      trace: (sql) => statements.push(sql),
    });
    for (const sql of statements) {
      const freq = sql.includes('GROUP BY');
      const c = await compare(async () => {
        // as the planner runs it (frequency tables with the perfect hash aggregate)
        if (freq) await withPerfectHash(connection, () => connection.runAndReadAll(sql));
        else await connection.runAndReadAll(sql);
      });
      const kind = freq ? 'frequency tables' : 'aggregate scan';
      console.log(`  ${kind}: ${c.cand.toFixed(0)} ms, ratio ${c.ratio.toFixed(2)}`);
    }
    const fullRatio = (await compare(evaluate(full))).ratio;
    for (const prefix of [
      'IsUnique',
      'UniqueValueRatio',
      'StandardDeviation',
      'ColumnCorrelation',
      'ColumnLength',
    ]) {
      const without = { ...full, rules: full.rules.filter((r) => r.kind !== 'rule' || r.type !== prefix) };
      const c = await compare(evaluate(without));
      console.log(`  marginal ratio of ${prefix}: ${(fullRatio - c.ratio).toFixed(2)}`);
    }
    // what batching saves: the realistic ruleset evaluated one rule at a time (one scan per rule)
    const rules = parse(RULESET);
    const naive = await compare(async () => {
      for (const r of rules.rules) await evaluate({ ...rules, rules: [r] })();
    });
    console.log(
      `one rule per evaluation (unbatched): ${naive.cand.toFixed(0)} ms vs baseline ${naive.base.toFixed(0)} ms, ratio ${naive.ratio.toFixed(2)}`,
    );
  } finally {
    connection.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
