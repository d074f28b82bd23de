// Benchmark of persona queries (npm run bench:query → `tsx bench/query.ts [MB]`): a query's cost
// should follow what it reads, not the size of the lake. A lake of one small table (the seed's
// customer file) and one big generated CSV (default 300 MB); each case runs in a fresh process,
// medians of 3, with its peak RSS:
//   small       count(*) of the small table, the big table absent
//   small+big   the same query with the big table in the lake (ratio to `small`: target ≈ 1)
//   big         count(*) and one column's max over the big table (the cost of reading it)
//   copy        the previous design for comparison: every visible table copied into memory first
// A benchmark script, not a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, tableReader } from '../src/data/source';
import { type QueryableTable, queryAsPersona } from '../src/query/as-persona';

const SMALL = path.join(__dirname, '../samples/seed/customer_v0.csv');
const CASES = ['small', 'small+big', 'big', 'copy'] as const;
type Case = (typeof CASES)[number];

function table(name: string, file: string, columns: string[]): QueryableTable {
  return { database: 'bench', table: name, files: [file], columns, access: { allowed: true, columns } };
}

async function columnsOf(file: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM ${tableReader([file], file)}`);
  const names = r.getRowObjectsJson().map((x) => String(x.column_name));
  c.closeSync();
  instance.closeSync();
  return names;
}

/** The design this replaced: every visible table copied into an in-memory table before the query. */
async function copyFirst(tables: QueryableTable[], sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run('CREATE SCHEMA bench');
  for (const t of tables)
    await c.run(
      `CREATE TABLE bench.${quoteIdent(t.table)} AS SELECT ${t.access.columns.map(quoteIdent).join(', ')} FROM ${tableReader(t.files, t.table)}`,
    );
  await c.runAndReadAll(sql);
  c.closeSync();
  instance.closeSync();
}

/** One case in this process: prints {ms, rssMB}. */
async function runCase(which: Case, big: string): Promise<void> {
  const small = table('customer', SMALL, await columnsOf(SMALL));
  const large = table('events', big, await columnsOf(big));
  const t0 = performance.now();
  if (which === 'small') await queryAsPersona('bench', 'SELECT count(*) FROM bench.customer', [small]);
  if (which === 'small+big')
    await queryAsPersona('bench', 'SELECT count(*) FROM bench.customer', [small, large]);
  if (which === 'big')
    await queryAsPersona('bench', 'SELECT count(*), max(amount) FROM bench.events', [small, large]);
  if (which === 'copy') await copyFirst([small, large], 'SELECT count(*) FROM bench.customer');
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function generate(dir: string, mb: number): Promise<string> {
  const file = path.join(dir, 'events.csv');
  // ~60 bytes a row
  const rows = Math.round((mb * 1024 * 1024) / 60);
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`COPY (
    SELECT i AS id, 'user' || (i % 100000) || '@example.com' AS email,
           (i * 7919) % 10000 / 100.0 AS amount, DATE '2024-01-01' + (i % 365)::INT AS day
    FROM range(${rows}) t(i)) TO '${file}' (HEADER)`);
  c.closeSync();
  instance.closeSync();
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (process.argv[2] === '--case') return runCase(process.argv[3] as Case, process.argv[4]!);
  const mb = Number(process.argv[2] ?? 300);
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-query-'));
  try {
    const big = await generate(dir, mb);
    console.log(
      `big table: ${(statSync(big).size / 1024 / 1024).toFixed(0)} MB CSV; medians of 3 fresh processes`,
    );
    const results = {} as Record<Case, { ms: number; rssMB: number }>;
    for (const which of CASES) {
      const runs = [0, 1, 2].map(
        () =>
          JSON.parse(
            execFileSync(process.execPath, [...process.execArgv, __filename, '--case', which, big], {
              encoding: 'utf8',
            }),
          ) as { ms: number; rssMB: number },
      );
      results[which] = { ms: median(runs.map((r) => r.ms)), rssMB: median(runs.map((r) => r.rssMB)) };
      console.log(
        `${which.padEnd(10)} ${results[which].ms.toFixed(0).padStart(7)} ms  peak RSS ${results[which].rssMB.toFixed(0)} MB`,
      );
    }
    const ratio = (a: Case, b: Case) => (results[a].ms / results[b].ms).toFixed(2);
    console.log(`small+big / small = ${ratio('small+big', 'small')} (target ≈ 1: the big table is not read)`);
    console.log(`copy / small+big = ${ratio('copy', 'small+big')} (what copying the lake first cost)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
