import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autogov, autogovInProcess, ROOT } from '../support/cli';
import { seedLake } from '../support/fixtures';

const SEED = join(ROOT, 'samples/seed');
const noLake = join(tmpdir(), 'autogov-no-lake-needed');
/** `dq check` of the seed's customer ruleset on customer_v1.csv: it scores 75 %. */
const CHECK = [
  'dq',
  'check',
  join(ROOT, 'dqdl/customer.dqdl'),
  join(SEED, 'customer_v1.csv'),
  '--ref',
  `reference=${join(SEED, 'base.csv')}`,
];
const check = (...extra: string[]) => autogovInProcess(noLake, ...CHECK, ...extra);

describe('dq check --fail-under: a quality gate for CI', () => {
  test('a score below the threshold exits 1 with one line naming the ruleset, after the usual output', async () => {
    const r = await check('--fail-under', '80');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/score: 75\.0%/);
    expect(r.stderr.trim()).toBe(
      `autogov: ${join(ROOT, 'dqdl/customer.dqdl')}: score 75.0% is below --fail-under 80%`,
    );
  });

  test('a score at the threshold passes', async () => {
    expect((await check('--fail-under', '75')).code).toBe(0);
  });

  test('a threshold that is not a percentage is bad usage: exit 2', async () => {
    const r = await check('--fail-under', 'high');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'autogov: --fail-under high: expected a percentage from 0 to 100, e.g. --fail-under 90',
    );
  });
});

describe('access on a name that is neither a table nor a raw object', () => {
  test('`access nosuch.txt` says neither exists, instead of suggesting to ingest into a table of that name', async () => {
    const lake = await seedLake('v0'); // a lake with governed tables
    const r = await autogovInProcess(lake, 'access', 'nosuch.txt');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'autogov: nosuch.txt: no table nosuch.txt and no raw object with that key; see `autogov tables` and `autogov documents`',
    );
  });
});

// The process's own exit status and stderr, so spawned.
describe('one exit-code table: 0 ok, 1 governance or check failed, 2 bad input or usage', () => {
  const invalid = join(mkdtempSync(join(tmpdir(), 'exit-codes-')), 'bad.dqdl');
  writeFileSync(invalid, 'Rules = [ Completness "b" ]\n');
  test.each([
    ['dq lint INVALID.dqdl', ['dq', 'lint', invalid], 1],
    ['dq check … --fail-under 80 (it scores 75 %)', [...CHECK, '--fail-under', '80'], 1],
    ['--bogus tables', ['--bogus', 'tables'], 2],
    ['tags', ['tags'], 2],
    ['nosuchcommand', ['nosuchcommand'], 2],
    ['--help', ['--help'], 0],
    ['--version', ['--version'], 0],
  ])('autogov %s exits %i', async (_, args, code) => {
    expect((await autogov(noLake, ...args)).code).toBe(code);
  });
});

describe('--debug: the stack trace of an error, which is otherwise one line', () => {
  test('a bad table name prints one line; with --debug, the stack under it', async () => {
    const plain = await autogov(noLake, 'tags', 'customer');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(
      'autogov: customer: expected DATABASE.TABLE (letters, digits, _), e.g. oktank_autogov_temp.customer\n',
    );
    const debug = await autogov(noLake, '--debug', 'tags', 'customer');
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^UserError: customer: expected DATABASE\.TABLE.*\n\s+at parseTableName \(/);
  });
});
