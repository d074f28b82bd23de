// Hostile-size input (npm run bench:hostile → `tsx bench/hostile.ts [CSV_MB]`, default 1024): a big
// CSV and a 5000-deep JSON line are each ingested into a fresh local lake, in a fresh process,
// and must be governed or refused within bounded memory (target ≤ 2 GB peak RSS); afterwards a
// persona query on the seed table must answer (a hostile file never makes another query hang).
// Prints outcome, wall time and peak RSS of each, and the follow-up query's time.
// A benchmark script, not a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LocalLake } from '../src/app/local-lake';
import { errorMessage } from '../src/errors';

const ROOT = path.join(__dirname, '..');
const SEED = path.join(ROOT, 'samples/seed');
const DB = 'oktank_autogov_temp';

const open = (lake: string) => LocalLake.open({ lake, governance: path.join(ROOT, 'governance.yml') });

/** In this process: seed the lake, ingest the hostile file, then query; prints one JSON line. */
async function runCase(lake: string, file: string, table: string): Promise<void> {
  const l = await open(lake);
  try {
    await l.ingestTableFile(path.join(SEED, 'base.csv'), DB, 'base');
    await l.ingestTableFile(path.join(SEED, 'customer_v0.csv'), DB, 'customer');
    const t0 = performance.now();
    let outcome: string;
    try {
      const runs = await l.ingestTableFile(file, DB, table);
      outcome = `governed (${runs.map((r) => r.status).join(', ')})`;
    } catch (err) {
      outcome = `refused: ${errorMessage(err).split('\n')[0]!.slice(0, 120)}`;
    }
    const ingestMs = performance.now() - t0;
    const t1 = performance.now();
    const rows = await l.query('category2', `SELECT count(*) AS n FROM ${DB}.customer`);
    const queryMs = performance.now() - t1;
    console.log(
      JSON.stringify({
        outcome,
        ingestMs,
        queryMs,
        queryRows: rows.rows[0]!.n,
        rssMB: process.resourceUsage().maxRSS / 1024,
      }),
    );
  } finally {
    await l.close();
  }
}

async function bigCsv(dir: string, mb: number): Promise<string> {
  const file = path.join(dir, 'events.csv');
  const rows = Math.round((mb * 1024 * 1024) / 64); // ~64 bytes a row
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(`COPY (
    SELECT i AS event_id, 'user' || (i % 100000) || '@example.com' AS email,
           (i * 7919) % 10000 / 100.0 AS amount, DATE '2024-01-01' + (i % 365)::INT AS day,
           'note ' || (i % 977) AS note
    FROM range(${rows}) t(i)) TO '${file}' (HEADER)`);
  c.closeSync();
  instance.closeSync();
  return file;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--case') return runCase(process.argv[3]!, process.argv[4]!, process.argv[5]!);
  const mb = Number(process.argv[2] ?? 1024);
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-hostile-'));
  try {
    const deep = path.join(dir, 'deep.jsonl');
    writeFileSync(deep, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}\n`);
    const csv = await bigCsv(dir, mb);
    for (const [label, file, table] of [
      [`${(statSync(csv).size / 1024 / 1024).toFixed(0)} MB CSV`, csv, 'events'],
      ['5000-deep JSON line', deep, 'nested'],
    ] as const) {
      const lake = path.join(dir, `lake-${table}`);
      const wall0 = performance.now();
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, __filename, '--case', lake, file, table],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        outcome: string;
        ingestMs: number;
        queryMs: number;
        queryRows: number;
        rssMB: number;
      };
      console.log(
        `${label}: ${r.outcome}; ingest ${(r.ingestMs / 1000).toFixed(1)} s, peak RSS ${r.rssMB.toFixed(0)} MB ` +
          `(target ≤ 2048); then a category2 query answered ${r.queryRows} rows in ${r.queryMs.toFixed(0)} ms ` +
          `[process ${((performance.now() - wall0) / 1000).toFixed(1)} s]`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
