// Benchmark of sensitive-data classification (npm run bench:pii → `tsx bench/pii.ts [rows]`).
// 1. Free text, per entity type: a column of 50,000 distinct sentences, 30 % of them holding the
//    type, classified for that type alone — with the early stop (governance.yml's default) and,
//    on its first 5,000 cells, exactly (every cell detected): cells/s of both (target ≥ 50,000 with
//    the early stop). Then the worst case, a column whose fraction sits on the threshold, which no
//    bound can settle early.
// 2. A 5M-row × 10-column Parquet table at sample fraction 0.1, every supported type requested:
//    classifyTable (as the local job runs it) against the DQ evaluation of a 10-rule ruleset on the
//    same table in the same run, as a ratio (target ≤ 10 s). `--exact` adds the exact classification.
// A benchmark script, not a test: it prints figures and asserts nothing about speed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableView } from '../src/data/source';
import { evaluateRuleset } from '../src/dqdl/evaluate';
import { parseDqdl } from '../src/dqdl/parse';
import { classifyTable } from '../src/engine/classify-table';
import { classifyColumn } from '../src/pii/classify';
import { mulberry32 } from '../src/pii/sample';
import { SUPPORTED_ENTITY_TYPES } from '../src/pii/types';

const ROWS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5_000_000);
const EXACT = process.argv.includes('--exact');
const ERROR_BOUND = 1e-6;
const TEXT_CELLS = 50_000;
const EXACT_CELLS = 5_000;

// Bench data only (never a detector dictionary): a few names to build sentences from.
const FIRST = ['Ava', 'Liam', 'Noah', 'Emma', 'Olivia', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo'];
const LAST = ['Thompson', 'Garcia', 'Nguyen', 'Schmidt', 'Rossi', 'Kowalski', 'Okafor', 'Silva'];

const digits = (next: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
const pick = <T>(next: () => number, xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
function luhnCard(next: () => number): string {
  const body = `4${digits(next, 14)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + ((10 - (sum % 10)) % 10);
}

/** A sentence holding one value of the type (i keeps every cell distinct). */
const SENTENCES: Record<(typeof SUPPORTED_ENTITY_TYPES)[number], (i: number, next: () => number) => string> =
  {
    PERSON_NAME: (i, n) => `Please ask ${pick(n, FIRST)} ${pick(n, LAST)} about ticket ${i}`,
    EMAIL: (i, n) => `reply to ${pick(n, FIRST).toLowerCase()}.${i}@example.com today`,
    PHONE_NUMBER: (i, n) => `ticket ${i}: call back on (206) 555-${digits(n, 4)}`,
    USA_SSN: (i, n) => `ticket ${i}: SSN on file 2${digits(n, 2)}-4${digits(n, 1)}-1${digits(n, 3)}`,
    CREDIT_CARD: (i, n) => `ticket ${i}: refund to card ${luhnCard(n)}`,
    IP_ADDRESS: (i, n) =>
      `ticket ${i}: login from 10.${1 + (i % 250)}.${Math.floor(n() * 250)}.${Math.floor(n() * 250)}`,
    MAC_ADDRESS: (i, n) => `ticket ${i}: device 00:1a:2b:${digits(n, 2)}:${digits(n, 2)}:${digits(n, 2)}`,
    USA_PASSPORT_NUMBER: (i, n) => `ticket ${i}: passport 5${digits(n, 8)} seen`,
    BANK_ACCOUNT: (i, n) => `ticket ${i}: wire to account 00${digits(n, 8)}`,
    ADDRESS: (i, n) => `ticket ${i}: ship to ${1 + Math.floor(n() * 900)} Elm Street`,
    // A column-level type (a date under a birth-date column name): free text alone never shows it.
    DATE_OF_BIRTH: (i, n) =>
      `ticket ${i}: date of birth 19${50 + Math.floor(n() * 49)}-0${1 + Math.floor(n() * 9)}-1${Math.floor(n() * 9)}`,
  };
const FILLER = (i: number, n: () => number) =>
  `ticket ${i}: ${pick(n, ['arrived late', 'works fine', 'box was damaged', 'asked for a refund', 'no further action'])}, thanks`;

function freeText(type: keyof typeof SENTENCES, cells: number, fraction: number, seed: number): string[] {
  const next = mulberry32(seed);
  return Array.from({ length: cells }, (_, i) =>
    next() < fraction ? SENTENCES[type](i, next) : FILLER(i, next),
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (cells: number, ms: number) => `${Math.round(cells / (ms / 1000)).toLocaleString('en')} cells/s`;
function timed<T>(fn: () => T): [T, number] {
  const s = performance.now();
  const r = fn();
  return [r, performance.now() - s];
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const s = performance.now();
  const r = await fn();
  return [r, performance.now() - s];
}

function freeTextBench(): void {
  console.log(
    `free text: ${TEXT_CELLS.toLocaleString('en')} distinct sentences per column, 30 % holding the type`,
  );
  // Load the name lists and let the JIT warm up every detector (libphonenumber's too) on other
  // sentences of each type, outside the timings: the figures are steady-state throughput.
  for (const type of SUPPORTED_ENTITY_TYPES)
    classifyColumn(freeText(type, 300, 0.3, 99), {
      entityTypes: [...SUPPORTED_ENTITY_TYPES],
      thresholdFraction: 0.1,
    });
  let slowest = Number.POSITIVE_INFINITY;
  for (const type of SUPPORTED_ENTITY_TYPES) {
    const col = freeText(type, TEXT_CELLS, 0.3, 7);
    const opts = { entityTypes: [type], thresholdFraction: 0.1 };
    const [early, earlyMs] = timed(() => classifyColumn(col, { ...opts, earlyStopErrorBound: ERROR_BOUND }));
    const [exact, exactMs] = timed(() => classifyColumn(col.slice(0, EXACT_CELLS), opts));
    const verdict = (r: typeof early) => (r.length ? `${(r[0]!.fraction * 100).toFixed(1)} %` : 'not found');
    slowest = Math.min(slowest, TEXT_CELLS / (earlyMs / 1000));
    console.log(
      `  ${type.padEnd(20)} early stop ${rate(TEXT_CELLS, earlyMs).padStart(18)} (read ${early[0]?.evidence.sampledCells ?? '-'} cells, ${verdict(early)})` +
        ` · exact ${rate(EXACT_CELLS, exactMs).padStart(16)} (${verdict(exact)})`,
    );
  }
  console.log(
    `  slowest type with the early stop: ${Math.round(slowest).toLocaleString('en')} cells/s (target ≥ 50,000)`,
  );
  // Worst case: names in 10 % of cells at threshold 0.1 — never settled, read to the end.
  const edge = freeText('PERSON_NAME', 20_000, 0.1, 11);
  const [r, ms] = timed(() =>
    classifyColumn(edge, {
      entityTypes: ['PERSON_NAME'],
      thresholdFraction: 0.1,
      earlyStopErrorBound: ERROR_BOUND,
    }),
  );
  console.log(
    `  worst case, PERSON_NAME at the threshold: ${rate(edge.length, ms)} (read ${r[0]?.evidence.sampledCells ?? edge.length} of ${edge.length} cells)`,
  );
}

const RULESET = `Rules = [
  RowCount > 1000000,
  IsComplete "customer_id",
  IsUnique "customer_id",
  Completeness "email" > 0.9,
  ColumnLength "email" <= 64,
  ColumnValues "country" in ["FR", "DE", "ES", "IT", "US", "GB"],
  ColumnValues "amount" between 0 and 10000,
  Mean "amount" between 10 and 1000,
  ColumnValues "status" in ["new", "paid", "shipped", "returned"],
  DistinctValuesCount "status" = 4
]`;

async function tableBench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'autogov-bench-pii-'));
  const file = path.join(dir, 'customers.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
    const [, genMs] = await timedAsync(() =>
      connection.run(`
      COPY (
        SELECT
          i AS customer_id,
          (${list(FIRST)})[1 + (hash(i) % ${FIRST.length})::INTEGER] || ' ' || (${list(LAST)})[1 + (hash(i * 3) % ${LAST.length})::INTEGER] AS full_name,
          CASE WHEN i % 20 = 0 THEN NULL ELSE 'user' || i::VARCHAR || '@example.com' END AS email,
          '(206) 555-' || lpad((hash(i * 5) % 10000)::VARCHAR, 4, '0') AS phone,
          (['Seattle', 'Lyon', 'Porto', 'Kraków', 'Osaka', 'Leeds'])[1 + (hash(i * 7) % 6)::INTEGER] AS city,
          (['FR', 'DE', 'ES', 'IT', 'US', 'GB'])[1 + (hash(i * 11) % 6)::INTEGER] AS country,
          round((hash(i * 13) % 100000) / 100.0, 2) AS amount,
          (['new', 'paid', 'shipped', 'returned'])[1 + (hash(i * 17) % 4)::INTEGER] AS status,
          TIMESTAMP '2021-01-01' + to_seconds((hash(i * 19) % 94608000)::BIGINT) AS created_at,
          CASE hash(i * 23) % 4
            WHEN 0 THEN 'ticket ' || i::VARCHAR || ': ask ' || (${list(FIRST)})[1 + (hash(i * 29) % ${FIRST.length})::INTEGER] || ' ' || (${list(LAST)})[1 + (hash(i * 31) % ${LAST.length})::INTEGER]
            ELSE 'ticket ' || i::VARCHAR || ': arrived late, thanks'
          END AS comment
        FROM range(${ROWS}) t(i)
      ) TO '${file}' (FORMAT parquet)`),
    );
    console.log(`\n${ROWS.toLocaleString('en')} rows × 10 columns generated in ${seconds(genMs)} → ${file}`);
    const columns = await createTableView(connection, 'customers', [file]);
    const parsed = parseDqdl(RULESET);
    if (!parsed.ok) throw new Error(`ruleset does not parse: ${JSON.stringify(parsed.errors)}`);
    const dq = () => evaluateRuleset({ connection, primary: 'customers', ruleset: parsed.ruleset });
    const pii = { entityTypes: [...SUPPORTED_ENTITY_TYPES], sampleFraction: 0.1, thresholdFraction: 0.1 };
    const classify = (earlyStopErrorBound: number) =>
      classifyTable(connection, 'customers', columns, { ...pii, earlyStopErrorBound });
    await dq(); // warm the file cache for both
    const [dqResult, dqMs] = await timedAsync(dq);
    const [found, piiMs] = await timedAsync(() => classify(ERROR_BOUND));
    console.log(
      `  DQ evaluation, ${parsed.ruleset.rules.length} rules (score ${dqResult.score}): ${seconds(dqMs)}`,
    );
    console.log(
      `  classification at sample fraction 0.1, ${SUPPORTED_ENTITY_TYPES.length} types, early stop (error ≤ ${ERROR_BOUND}): ${seconds(piiMs)} — ${(piiMs / dqMs).toFixed(2)}× the DQ evaluation (target ≤ 10 s)`,
    );
    for (const [column, entities] of Object.entries(found.columns))
      console.log(
        `    ${column}: ${entities.map((e) => `${e.entityType} ${(e.fraction * 100).toFixed(1)} % of ${e.evidence.sampledCells} cells read`).join(', ')}`,
      );
    if (EXACT) {
      const [exact, exactMs] = await timedAsync(() => classify(0));
      const same =
        JSON.stringify(Object.entries(exact.columns).map(([c, es]) => [c, es.map((e) => e.entityType)])) ===
        JSON.stringify(Object.entries(found.columns).map(([c, es]) => [c, es.map((e) => e.entityType)]));
      console.log(
        `  exact classification (every sampled cell): ${seconds(exactMs)} — ${(exactMs / dqMs).toFixed(2)}× the DQ evaluation; same verdicts: ${same}`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  freeTextBench();
  await tableBench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
