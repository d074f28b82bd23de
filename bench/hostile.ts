// Hostile-size input (npm run bench:hostile runs the build, dist/bench/hostile.js [CSV_MB], default
// 1024): a big CSV and a 5000-deep JSON line are each ingested into a fresh local lake, in a fresh process,
// and must be governed or refused within bounded memory (target ≤ 2 GB peak RSS); afterwards a
// persona query on the seed table must answer (a hostile file never makes another query hang).
// Prints outcome, wall time and peak RSS of each, and the follow-up query's time. Before that, the
// big CSV's (and the same rows as JSON lines') validation alone and the DQ evaluation alone of the same file (the default ruleset ingest
// runs, and a 10-rule ruleset), each in a fresh process, side by side with their ratio (targets:
// validation ≤ 0.5× DQ, ≤ 1 GB peak RSS). Wall and CPU (user+sys) time: the machine may be shared.
// The generated files live under the OS temp folder and are deleted after. A benchmark script, not a test.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LocalLake } from '../src/app/local-lake';
import { createTableView } from '../src/data/source';
import { validateDataFile } from '../src/data/validate';
import { evaluateRuleset } from '../src/dqdl/evaluate';
import { parseDqdl } from '../src/dqdl/parse';
import { errorMessage } from '../src/errors';
import { PACKAGE_ROOT } from '../src/paths';

const ROOT = PACKAGE_ROOT;
const SEED = path.join(ROOT, 'samples/seed');
const DB = 'oktank_autogov_temp';

/** A realistic ruleset over bigCsv's columns (the default ruleset has two rules). */
const EVENTS_RULESET = `Rules = [
  RowCount > 0, ColumnCount = 5, IsComplete "event_id", IsUnique "event_id", Completeness "email" > 0.9,
  ColumnLength "email" <= 64, ColumnValues "amount" between 0 and 100, Mean "amount" between 0 and 100,
  ColumnValues "day" > "2020-01-01", DistinctValuesCount "note" > 10
]`;

interface Measure {
  outcome: string;
  wallMs: number;
  cpuMs: number;
  rssMB: number;
}

/** In this process: one step alone on `file`, printed as one JSON line (a Measure). */
async function runStep(step: string, file: string): Promise<void> {
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  let outcome = 'ok';
  try {
    if (step === 'validate') await validateDataFile(file);
    else {
      const instance = await DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      await createTableView(c, 'primary', [file]);
      const parsed = parseDqdl(
        step === 'dq-default' ? readFileSync(path.join(ROOT, 'dqdl/default.dqdl'), 'utf8') : EVENTS_RULESET,
      );
      if (!parsed.ok) throw new Error('ruleset does not parse');
      const r = await evaluateRuleset({ connection: c, primary: 'primary', ruleset: parsed.ruleset });
      outcome = `${r.rules.filter((x) => x.outcome === 'PASS').length}/${r.rules.length} rules pass`;
      c.closeSync();
      instance.closeSync();
    }
  } catch (err) {
    outcome = `refused: ${errorMessage(err).split('\n')[0]!.slice(0, 120)}`;
  }
  const cpu = process.cpuUsage(u0);
  const m: Measure = {
    outcome,
    wallMs: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(m));
}

/** Runs this script again with `args` in a fresh process; its last stdout line, parsed. */
function inFreshProcess<T>(args: string[]): T {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Reads `file` through once, so the step that follows finds it in the page cache: this machine's
 * memory manager pages out what has not been read for about a minute (DAMON), and whichever step
 * came first would otherwise time the disk instead of its own work.
 */
function warm(file: string): void {
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    while (readSync(fd, buf) > 0);
  } finally {
    closeSync(fd);
  }
}

function compareValidationToDq(file: string, label: string): void {
  warm(file);
  const v = inFreshProcess<Measure>(['--step', 'validate', file]);
  console.log(
    `${label} validation: ${v.outcome}; ${seconds(v.wallMs)} (CPU ${seconds(v.cpuMs)}), peak RSS ${v.rssMB.toFixed(0)} MB (target ≤ 1024)`,
  );
  for (const [step, name] of [
    ['dq-default', 'default ruleset (what ingest runs)'],
    ['dq-10', '10-rule ruleset'],
  ] as const) {
    warm(file);
    const d = inFreshProcess<Measure>(['--step', step, file]);
    console.log(
      `${label} DQ, ${name}: ${d.outcome}; ${seconds(d.wallMs)} (CPU ${seconds(d.cpuMs)}), peak RSS ${d.rssMB.toFixed(0)} MB; ` +
        `validation / DQ = ${(v.wallMs / d.wallMs).toFixed(2)} wall, ${(v.cpuMs / d.cpuMs).toFixed(2)} CPU (target ≤ 0.5)`,
    );
  }
}

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

/** The events table as CSV and as JSON lines (the same rows; the JSON is about twice the bytes). */
async function bigFiles(dir: string, mb: number): Promise<[csv: string, jsonl: string]> {
  const file = path.join(dir, 'events.csv');
  const jsonl = path.join(dir, 'events.jsonl');
  const rows = Math.round((mb * 1024 * 1024) / 57); // ~57 bytes a row
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const events = `SELECT i AS event_id, 'user' || (i % 100000) || '@example.com' AS email,
           (i * 7919) % 10000 / 100.0 AS amount, DATE '2024-01-01' + (i % 365)::INT AS day,
           'note ' || (i % 977) AS note
    FROM range(${rows}) t(i)`;
  await c.run(`COPY (${events}) TO '${file}' (HEADER)`);
  await c.run(`COPY (${events}) TO '${jsonl}' (FORMAT JSON)`);
  c.closeSync();
  instance.closeSync();
  return [file, jsonl];
}

async function main(): Promise<void> {
  if (process.argv[2] === '--case') return runCase(process.argv[3]!, process.argv[4]!, process.argv[5]!);
  if (process.argv[2] === '--step') return runStep(process.argv[3]!, process.argv[4]!);
  const mb = Number(process.argv[2] ?? 1024);
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-hostile-'));
  try {
    const deep = path.join(dir, 'deep.jsonl');
    writeFileSync(deep, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}\n`);
    const [csv, jsonl] = await bigFiles(dir, mb);
    const csvLabel = `${(statSync(csv).size / 1024 / 1024).toFixed(0)} MB CSV`;
    compareValidationToDq(csv, csvLabel);
    compareValidationToDq(jsonl, `${(statSync(jsonl).size / 1024 / 1024).toFixed(0)} MB JSON lines`);
    for (const [label, file, table] of [
      [csvLabel, csv, 'events'],
      ['5000-deep JSON line', deep, 'nested'],
    ] as const) {
      const wall0 = performance.now();
      const r = inFreshProcess<{
        outcome: string;
        ingestMs: number;
        queryMs: number;
        queryRows: number;
        rssMB: number;
      }>(['--case', path.join(dir, `lake-${table}`), file, table]);
      console.log(
        `${label} ingest: ${r.outcome}; ${seconds(r.ingestMs)}, peak RSS ${r.rssMB.toFixed(0)} MB ` +
          `(target ≤ 2048); then a category2 query answered ${r.queryRows} rows in ${r.queryMs.toFixed(0)} ms ` +
          `[process ${seconds(performance.now() - wall0)}]`,
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
