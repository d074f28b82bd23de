// Issue 8's bad-input matrix at the CLI, one command per test (in this process; one case spawned, for the
// process's own exit status and stderr): every hostile input gets one clear line and a non-zero exit,
// nothing is placed, no persona reads anything new, the lake stays queryable, and the marker value
// planted in the input appears in no output and nowhere in the lake.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DATABASE } from '../../src/app/demo';
import { LocalLake } from '../../src/app/local-lake';
import { autogov, autogovInProcess, type CliResult, ROOT } from '../support/cli';
import { seedLake } from '../support/fixtures';

jest.setTimeout(120_000);

const SEED = join(ROOT, 'samples/seed');
const CUSTOMER = `${SEED_DATABASE}.customer`;
const MARKER = 'zq7leak@example.com';
const dir = mkdtempSync(join(tmpdir(), 'bad-input-matrix-'));
const lakeDir = join(dir, 'lake');
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, 'in', name);
  writeFileSync(p, content);
  return p;
};

/** Every file under `root` whose bytes contain `needle`. */
function filesContaining(root: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (readFileSync(p).includes(needle)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** The raw bucket's table objects, as files of the local lake. */
function tableObjects(root = lakeDir): string[] {
  const tables = join(root, 's3/autogov-local-raw/tables');
  return (readdirSync(tables, { recursive: true }) as string[])
    .filter((p) => statSync(join(tables, p)).isFile())
    .sort();
}

/** Rows each persona reads of the customer table, through the lake between CLI commands (one at a time). */
async function servedRows(): Promise<Record<string, number>> {
  const lake = await LocalLake.open({ lake: lakeDir, governance: join(ROOT, 'governance.yml') });
  try {
    const rows: Record<string, number> = {};
    for (const persona of ['category1', 'category2'])
      rows[persona] = Number((await lake.query(persona, `SELECT count(*) AS n FROM ${CUSTOMER}`)).rows[0]!.n);
    return rows;
  } finally {
    await lake.close();
  }
}

function expectOneLine(r: CliResult, message: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout + r.stderr).not.toContain(MARKER);
}

let objectsBefore: string[];
let rowsBefore: Record<string, number>;

beforeAll(async () => {
  mkdirSync(join(dir, 'in'));
  // The seed's base and customer_v0 ingested (shared, copied to lakeDir).
  await seedLake('v0', dir);
  objectsBefore = tableObjects();
  rowsBefore = await servedRows();
  expect(rowsBefore.category2).toBeGreaterThan(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csvWithMarker = `data_key,customer_email\n900,${MARKER}\n`;
const deep = `${'{"a":'.repeat(5000)}"${MARKER}"${'}'.repeat(5000)}\n`;

/** [case, ingest arguments (built lazily: files are written at test time), the refusal] */
const refusedAtIngest: [string, () => string[], RegExp][] = [
  [
    'a hidden name _extra.csv',
    () => [file('a.csv', csvWithMarker), '--table', CUSTOMER, '--name', '_extra.csv'],
    /_extra\.csv/,
  ],
  [
    'a hidden name .pii.csv',
    () => [file('b.csv', csvWithMarker), '--table', CUSTOMER, '--name', '.pii.csv'],
    /\.pii\.csv/,
  ],
  [
    'a name ../y.csv',
    () => [file('c.csv', csvWithMarker), '--table', CUSTOMER, '--name', '../y.csv'],
    /\.\. path segment/,
  ],
  [
    'an absolute name',
    () => [file('d.csv', csvWithMarker), '--table', CUSTOMER, '--name', '/abs.csv'],
    /absolute path/,
  ],
  ['a name x.csv/', () => [file('e.csv', csvWithMarker), '--table', CUSTOMER, '--name', 'x.csv/'], /folder/],
  [
    'a name a//b.csv',
    () => [file('f.csv', csvWithMarker), '--table', CUSTOMER, '--name', 'a//b.csv'],
    /empty/,
  ],
  [
    'a 300-character name',
    () => [file('g.csv', csvWithMarker), '--table', CUSTOMER, '--name', `${'n'.repeat(300)}.csv`],
    /255 bytes/,
  ],
  [
    'database information_schema',
    () => [file('h.csv', csvWithMarker), '--table', 'information_schema.customer'],
    /reserved/,
  ],
  [
    'a JSON file into a CSV table',
    () => [file('rows.jsonl', `{"data_key":900,"customer_email":"${MARKER}"}\n`), '--table', CUSTOMER],
    /json file into a csv table/i,
  ],
  [
    'a fake Parquet (PAR1…PAR1)',
    () => [
      file('fake.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.from(MARKER), Buffer.from('PAR1')])),
      '--table',
      `${SEED_DATABASE}.events`,
    ],
    /fake\.parquet: not a readable Parquet file/,
  ],
  [
    'a 10 MB cell',
    () => [
      file('big-cell.csv', `data_key,comment1\n900,${MARKER}${'x'.repeat(10 * 1024 * 1024)}\n`),
      '--table',
      CUSTOMER,
    ],
    /big-cell\.csv: line \d+: a row over/,
  ],
  [
    'JSON with a duplicated key',
    () => [
      file('dup.jsonl', `{"id":1,"email":"${MARKER}","email":"x@example.com"}\n`),
      '--table',
      `${SEED_DATABASE}.events`,
    ],
    /dup\.jsonl: line 1: /,
  ],
  [
    'JSON nested 5000 deep',
    () => [file('deep.jsonl', deep), '--table', `${SEED_DATABASE}.events`],
    /deep\.jsonl: line 1: nested deeper than/,
  ],
  [
    'a CSV whose bad quote follows a value',
    () => [file('quote.csv', `data_key,customer_email\n900,${MARKER}"x"\n`), '--table', CUSTOMER],
    /quote\.csv: /,
  ],
  [
    'a folder given as the file',
    () => [join(dir, 'in'), '--table', CUSTOMER],
    /\/in: is a folder; give the path of a data file/,
  ],
];

/** Refused by a spawned CLI too: the deepest input, where a process could die of its stack. */
const SPAWNED = 'JSON nested 5000 deep';

describe.each(refusedAtIngest)('%s', (name, args, message) => {
  test('is refused with one line; nothing placed, nothing new served, the marker nowhere', async () => {
    const cli = name === SPAWNED ? autogov : autogovInProcess;
    expectOneLine(await cli(lakeDir, 'ingest', ...args()), message);
    expect(tableObjects()).toEqual(objectsBefore);
    expect(filesContaining(lakeDir, MARKER)).toEqual([]);
  });
});

test('after every refusal each persona reads exactly what it read before, and the lake answers', async () => {
  expect(await servedRows()).toEqual(rowsBefore);
});

describe('the SQL boundaries', () => {
  test('a persona query reading a file directly is refused with one line', async () => {
    expectOneLine(
      await autogovInProcess(
        lakeDir,
        'query',
        '--as',
        'category3',
        `SELECT * FROM read_csv('${join(SEED, 'customer_v0.csv')}')`,
      ),
      /^autogov: query: table function read_csv\(\) is not allowed here/,
    );
  });

  test('a persona named __proto__ is an unknown persona, one line', async () => {
    expectOneLine(
      await autogovInProcess(lakeDir, 'query', '--as', '__proto__', `SELECT 1`),
      /__proto__: unknown persona/,
    );
  });

  test('a ruleset whose CustomSql reads a host file or converts a hidden e-mail reports ERRORs that quote neither', async () => {
    const host = file('host.txt', 'host-secret-7711\n');
    const data = file('data.csv', `id,email\n1,${MARKER}\n`);
    const ruleset = file(
      'leak.dqdl',
      `Rules = [ CustomSql "select count(*) from read_text('${host}')" > 0, CustomSql "select max(cast(email as int)) from primary" > 0, CustomSql "select max(email) from primary" > 0 ]`,
    );
    const r = await autogovInProcess(lakeDir, 'dq', 'check', ruleset, data, '--json');
    expect(r.stdout).toContain('ERROR');
    expect(r.stdout + r.stderr).not.toContain(MARKER);
    expect(r.stdout + r.stderr).not.toContain('host-secret-7711');
  });
});

describe('a damaged lake is named, not served', () => {
  test('a corrupt runs/…/latest.json: `tables` names the object in one line', async () => {
    const copy = join(dir, 'corrupt-latest');
    cpSync(lakeDir, copy, { recursive: true });
    const latest = join(copy, 's3/autogov-local-artifacts/runs', SEED_DATABASE, 'customer/latest.json');
    expect(statSync(latest).isFile()).toBe(true);
    writeFileSync(latest, `{"runId": "r", "note": "${MARKER}`);
    expectOneLine(
      await autogovInProcess(copy, 'tables'),
      /runs\/oktank_autogov_temp\/customer\/latest\.json: not valid JSON/,
    );
  });

  test('a deleted catalog.duckdb is refused with the fix, never recreated empty', async () => {
    const copy = join(dir, 'no-catalog');
    cpSync(lakeDir, copy, { recursive: true });
    rmSync(join(copy, 'catalog.duckdb'));
    expectOneLine(await autogovInProcess(copy, 'tables'), /catalog/);
    expect(readdirSync(copy)).not.toContain('catalog.duckdb');
  });
});
