// Exact uniqueness at scale (npm run bench:dq:unique → `tsx bench/dq-unique.ts [rows]`, default 50M):
// IsUnique, IsPrimaryKey and Uniqueness on keys without a small integer range — a string key and a
// sparse integer key — against one plain scan of the same Parquet file, medians of 3 alternating
// runs, and the process's peak RSS (VmHWM). Targets: ≤ 3× one scan, ≤ 1 GB RSS, exact. A failing key
// (one duplicated value) is timed too. A benchmark script, not a test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { evaluateRuleset } from '../src/dqdl/evaluate';
import { parseDqdl } from '../src/dqdl/parse';

const ROWS = Number(process.argv[2] ?? 50_000_000);

const peakRssMb = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-unique-'));
  const file = path.join(dir, 'keys.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const t0 = performance.now();
    // string key: unique; sparse integer key: unique, spread over 10^12; dup: the string key with
    // its last row repeating the first value
    await connection.run(`COPY (
        SELECT 'cust-' || hash(i)::VARCHAR AS skey, i * 1000003 AS ikey,
          CASE WHEN i = ${ROWS - 1} THEN 'cust-' || hash(0)::VARCHAR ELSE 'cust-' || hash(i)::VARCHAR END AS dup,
          i % 7 AS v
        FROM range(${ROWS}) t(i)
      ) TO '${file}' (FORMAT parquet)`);
    console.log(
      `generated ${ROWS.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; peak RSS so far ${peakRssMb().toFixed(0)} MB`,
    );
    await connection.run(`CREATE VIEW keys AS SELECT * FROM read_parquet('${file}')`);
    // one plain scan reading every value of the columns checked (count() alone is read off metadata)
    const scan = async () => {
      await connection.runAndReadAll('SELECT sum(length(skey)), sum(ikey), sum(length(dup)) FROM keys');
    };
    const once = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [label, text, expected] of [
      ['IsUnique on a string key', 'Rules = [ IsUnique "skey" ]', 1],
      ['IsPrimaryKey on a sparse integer key', 'Rules = [ IsPrimaryKey "ikey" ]', 1],
      [
        'Uniqueness of a string key with one duplicate',
        'Rules = [ Uniqueness "dup" > 0.99 ]',
        (ROWS - 2) / ROWS,
      ],
    ] as const) {
      const parsed = parseDqdl(text);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      let metric = Number.NaN;
      const evaluate = async () => {
        const r = await evaluateRuleset({ connection, primary: 'keys', ruleset: parsed.ruleset });
        metric =
          Object.entries(r.rules[0]!.metrics).find(([k]) => k.endsWith('.Uniqueness'))?.[1] ?? Number.NaN;
      };
      const ratios: number[] = [];
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const b = await once(scan);
        const c = await once(evaluate);
        times.push(c);
        ratios.push(c / b);
      }
      console.log(
        `${label}: ${(median(times) / 1000).toFixed(1)} s, ratio to one scan ${median(ratios).toFixed(2)} (target ≤ 3); Uniqueness ${metric} (exact: ${expected}${metric === expected ? ', matches' : ', MISMATCH'}); peak RSS ${peakRssMb().toFixed(0)} MB (target ≤ 1024)`,
      );
    }
  } finally {
    connection.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
