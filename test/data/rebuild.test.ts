// A lost catalog.duckdb (issue 8 item 5): refused with one line naming the fix, never recreated empty;
// `autogov catalog rebuild` brings the tables, their tags and certified files back from the stored
// objects and records, raw bytes untouched.
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DATABASE } from '../../src/app/demo';
import { LocalLake } from '../../src/app/local-lake';
import { autogovInProcess } from '../support/cli';
import { GOVERNANCE, seedLake } from '../support/fixtures';

jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
const lakeDir = join(dir, 'lake');
const CUSTOMER = `${SEED_DATABASE}.customer`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('catalog rebuild re-governs every staged table from its stored files after catalog.duckdb is lost', async () => {
  await seedLake('v1', dir); // base, customer_v0 and customer_v1 ingested
  const lake = await LocalLake.open({ lake: lakeDir, governance: GOVERNANCE });
  const before = await lake.tables();
  await lake.close();
  const raw = join(lakeDir, 's3/autogov-local-raw/tables', SEED_DATABASE, 'customer/customer_v1.csv');
  const rawBytes = readFileSync(raw);
  unlinkSync(join(lakeDir, 'catalog.duckdb'));

  const refused = await autogovInProcess(lakeDir, 'tables');
  expect(refused.code).not.toBe(0);
  expect(refused.stderr.trim()).toMatch(
    /^autogov: .*catalog\.duckdb is missing .*autogov catalog rebuild[^\n]*$/,
  );

  const rebuilt = await autogovInProcess(lakeDir, 'catalog', 'rebuild');
  expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
  expect(rebuilt.stdout).toMatch(/governed: rebuild-oktank_autogov_temp-base/);
  const tables = JSON.parse((await autogovInProcess(lakeDir, 'tables', '--json')).stdout);
  const pick = (ts: typeof before) =>
    ts.map(({ table, tags, sensitiveColumns, uncertified }) => ({
      table,
      tags,
      sensitiveColumns,
      uncertified,
    }));
  expect(pick(tables)).toEqual(pick(before));
  const q = await autogovInProcess(
    lakeDir,
    'query',
    '--as',
    'category2',
    '--json',
    `SELECT count(*) AS n FROM ${CUSTOMER}`,
  );
  expect(Number(JSON.parse(q.stdout).rows[0].n)).toBe(30);
  expect(readFileSync(raw)).toEqual(rawBytes);

  const again = await autogovInProcess(lakeDir, 'catalog', 'rebuild');
  expect(again.code).not.toBe(0);
  expect(again.stderr.trim()).toMatch(/catalog\.duckdb exists; a rebuild only replaces a lost catalog/);
});
