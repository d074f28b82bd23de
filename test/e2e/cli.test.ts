import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autogov, autogovInProcess, type CliResult, ROOT } from '../support/cli';
import { seedLake } from '../support/fixtures';

const SEED = join(ROOT, 'samples/seed');
const TABLE = 'oktank_autogov_temp.customer';

const json = (r: CliResult) => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

// One command per test, in order on one lake (jest runs a file's tests one after another), run in this
// process: a slow machine makes each test slower, never lets one test's command outlive it into the next.
describe('the seed scenario, one CLI command at a time', () => {
  const lake = mkdtempSync(join(tmpdir(), 'cli-lake-'));

  test('ingest the reference table base', async () => {
    const r = await autogovInProcess(
      lake,
      'ingest',
      join(SEED, 'base.csv'),
      '--table',
      'oktank_autogov_temp.base',
    );
    expect(r.code).toBe(0);
  });

  test('ingest customer_v0.csv: governed', async () => {
    expect(
      (await autogovInProcess(lake, 'ingest', join(SEED, 'customer_v0.csv'), '--table', TABLE)).code,
    ).toBe(0);
  });

  test('tags after v0: sensitive, DQ100', async () => {
    expect(json(await autogovInProcess(lake, 'tags', TABLE, '--json')).table).toEqual({
      tbl_class: 'sensitive',
      dq_tag: 'DQ100',
    });
  });

  test('access after v0: category3 is denied', async () => {
    expect(json(await autogovInProcess(lake, 'access', TABLE, '--as', 'category3', '--json'))).toEqual({
      category3: { allowed: false, columns: [] },
    });
  });

  test('ingest customer_v1.csv: governed', async () => {
    expect(
      (await autogovInProcess(lake, 'ingest', join(SEED, 'customer_v1.csv'), '--table', TABLE)).code,
    ).toBe(0);
  });

  test('access after v1: category1 loses the table, category2 loses comment1', async () => {
    const access = json(await autogovInProcess(lake, 'access', TABLE, '--json'));
    expect(access.category1.allowed).toBe(false);
    expect(access.category2.columns).not.toContain('comment1');
  });

  test('remove the bad file (rather than replace it): re-governed', async () => {
    expect((await autogovInProcess(lake, 'remove', TABLE, 'customer_v1.csv', '--yes')).code).toBe(0);
  });

  test('tags after the removal: quality back to DQ100, comment1 stays sensitive (sticky)', async () => {
    const tags = json(await autogovInProcess(lake, 'tags', TABLE, '--json'));
    expect(tags.table.dq_tag).toBe('DQ100');
    expect(tags.columns.comment1).toEqual({ col_class: 'sensitive' });
  });

  test('access after the removal: category1 regains the table', async () => {
    const access = json(await autogovInProcess(lake, 'access', TABLE, '--as', 'category1', '--json'));
    expect(access.category1.allowed).toBe(true);
  });

  test('declassify comment1 with a reason: re-governed', async () => {
    const r = await autogovInProcess(
      lake,
      'declassify',
      `${TABLE}.comment1`,
      '--reason',
      'test data, reviewed',
      '--yes',
    );
    expect(r.code).toBe(0);
  });

  test('tags after the declassification: comment1 public', async () => {
    expect(json(await autogovInProcess(lake, 'tags', TABLE, '--json')).columns.comment1).toEqual({
      col_class: 'public',
    });
  });

  test('tables: every governed table at a glance', async () => {
    expect(json(await autogovInProcess(lake, 'tables', '--json'))).toEqual([
      expect.objectContaining({ table: 'base', tags: { dq_tag: 'DQ100', tbl_class: 'public' }, score: 1 }),
      expect.objectContaining({
        table: 'customer',
        tags: { dq_tag: 'DQ100', tbl_class: 'sensitive' },
        sensitiveColumns: ['customer_name', 'customer_email'],
        score: 1,
      }),
    ]);
  });

  test('query as a persona sees only its columns and is refused hidden ones, like Athena under Lake Formation', async () => {
    const rows = json(
      await autogovInProcess(lake, 'query', '--as', 'category2', `SELECT * FROM ${TABLE} LIMIT 1`, '--json'),
    );
    expect(rows.columns).not.toContain('customer_email');
    const hidden = await autogovInProcess(
      lake,
      'query',
      '--as',
      'category2',
      `SELECT customer_email FROM ${TABLE}`,
    );
    expect(hidden.code).not.toBe(0);
    expect(hidden.stderr.trim()).toBe(
      `autogov: category2 may not see column customer_email of ${TABLE} (its LF-Tags match none of the persona's grants)`,
    );
    const denied = await autogovInProcess(
      lake,
      'query',
      '--as',
      'category3',
      `SELECT count(*) FROM ${TABLE}`,
    );
    expect(denied.stderr).toMatch(
      /category3 has no Lake Formation permission on oktank_autogov_temp\.customer/,
    );
    const sneaky = await autogovInProcess(
      lake,
      'query',
      '--as',
      'category3',
      `SELECT * FROM read_csv('${join(SEED, 'customer_v0.csv')}')`,
    );
    expect(sneaky.code).not.toBe(0);
  });
});

describe('bad input: one clear line, non-zero exit, nothing half-applied', () => {
  let lake: string;
  // The seed's base and customer_v0 ingested (shared, copied for this describe).
  beforeAll(async () => {
    lake = await seedLake('v0');
  });
  const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  const expectOneLineError = (r: CliResult, message: RegExp) => {
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  };

  test('a table whose ruleset names a reference table with no data fails governance and leaves no tags', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cli-no-base-'));
    const r = await autogovInProcess(empty, 'ingest', join(SEED, 'customer_v0.csv'), '--table', TABLE);
    expectOneLineError(
      r,
      /reference 'reference' is oktank_autogov_temp\.base, which has no data yet; ingest it first/,
    );
    expectOneLineError(await autogovInProcess(empty, 'tags', TABLE), /no such table/);
  });

  test('a bad file is refused before it reaches the table, and the good state stays', async () => {
    const before = json(await autogovInProcess(lake, 'tags', TABLE, '--json'));
    for (const [name, content, message] of [
      ['empty.csv', '', /empty\.csv: empty file/],
      ['header.csv', 'data_key,comment1\n', /header\.csv: has a header but no data rows/],
      ['ragged.csv', 'a,b\n1,2,3\n', /ragged\.csv: line 2: 3 fields/],
      ['latin1.csv', Buffer.from('a,b\n1,caf\xe9\n', 'latin1'), /latin1\.csv: not UTF-8/],
      ['binary.csv', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), /binary\.csv: looks binary/],
    ] as const) {
      const path = file(name, content);
      expectOneLineError(await autogovInProcess(lake, 'ingest', path, '--table', TABLE), message);
      expect(readFileSync(path)).toEqual(Buffer.from(content)); // the user's file is kept as it was
    }
    expect(json(await autogovInProcess(lake, 'tags', TABLE, '--json'))).toEqual(before);
  });

  test('a read command on a mistyped --lake refuses, exit 2, and creates no lake there (the process)', async () => {
    const typo = join(lake, 'no-such-lake');
    const r = await autogov(typo, 'tables');
    expectOneLineError(r, /--lake .*no-such-lake: no local lake there; check the path/);
    expect(r.code).toBe(2);
    expect(existsSync(typo)).toBe(false);
  });

  test('an unknown persona names the personas there are', async () => {
    expectOneLineError(
      await autogovInProcess(lake, 'access', TABLE, '--as', 'category9'),
      /category9: unknown persona; governance\.yml defines category1, category2, category3/,
    );
  });

  test('a governance.yml with a typo in a key names the file, line and key', async () => {
    const gov = file(
      'governance.yml',
      readFileSync(join(ROOT, 'governance.yml'), 'utf8').replace('personas:', 'personnas:'),
    );
    expectOneLineError(
      await autogovInProcess(lake, '--governance', gov, 'tags', TABLE),
      /governance\.yml:\d+: unknown key 'personnas'/,
    );
  });

  test('a malformed table name says what is expected', async () => {
    expectOneLineError(
      await autogovInProcess(lake, 'tags', 'customer'),
      /customer: expected DATABASE\.TABLE/,
    );
  });
});

describe('autogov dq: develop rulesets locally', () => {
  const lake = mkdtempSync(join(tmpdir(), 'cli-dq-'));

  test('lint prints the canonical rules, or each problem with line and column', async () => {
    expect(
      json(await autogovInProcess(lake, 'dq', 'lint', join(ROOT, 'dqdl/customer.dqdl'), '--json')).rules,
    ).toHaveLength(4);
    const bad = join(mkdtempSync(join(tmpdir(), 'dq-')), 'bad.dqdl');
    writeFileSync(bad, 'Rules = [\n  IsComplete "a",\n  Completness "b"\n]\n');
    const r = await autogovInProcess(lake, 'dq', 'lint', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.dqdl:3:3: error: .*Completness.*did you mean Completeness/);
  });

  test('lint of several files and a glob in one process: one line per file, a summary, exit 1 if any is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dq-many-'));
    writeFileSync(join(dir, 'good.dqdl'), 'Rules = [ IsComplete "a" ]\n');
    writeFileSync(join(dir, 'bad.dqdl'), 'Rules = [ Completness "b" ]\n');
    const r = await autogovInProcess(lake, 'dq', 'lint', join(ROOT, 'dqdl/customer.dqdl'), `${dir}/*.dqdl`);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${join(ROOT, 'dqdl/customer.dqdl')}: ok (4 rules)`,
      `${join(dir, 'bad.dqdl')}: invalid (1 errors)`,
      `${join(dir, 'good.dqdl')}: ok (1 rules)`,
      '3 rulesets: 2 valid, 1 invalid',
    ]);
    expect(r.stderr).toMatch(/bad\.dqdl:1:11: error: .*Completness/);
  });

  test('check of several rulesets on one file: a score line each and a summary', async () => {
    const r = await autogovInProcess(
      lake,
      'dq',
      'check',
      join(ROOT, 'dqdl/customer.dqdl'),
      join(ROOT, 'dqdl/default.dqdl'),
      join(SEED, 'customer_v1.csv'),
      '--ref',
      `reference=${join(SEED, 'base.csv')}`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${join(ROOT, 'dqdl/customer.dqdl')}: score 75.0% (3/4 rules passed)`,
      `${join(ROOT, 'dqdl/default.dqdl')}: score 100.0% (2/2 rules passed)`,
      '2 rulesets: 2 evaluated, 0 could not run',
    ]);
  });

  test('check scores a ruleset on a file with a reference dataset, exit 0 whatever the score', async () => {
    const result = json(
      await autogovInProcess(
        lake,
        'dq',
        'check',
        join(ROOT, 'dqdl/customer.dqdl'),
        join(SEED, 'customer_v1.csv'),
        '--ref',
        `reference=${join(SEED, 'base.csv')}`,
        '--json',
      ),
    );
    expect(result.score).toBeCloseTo(3 / 4);
    expect(
      result.rules.find((r: { rule: string }) => r.rule.startsWith('ReferentialIntegrity')).outcome,
    ).toBe('FAIL');
    const missing = await autogovInProcess(
      lake,
      'dq',
      'check',
      join(ROOT, 'dqdl/customer.dqdl'),
      '/no/such/data.csv',
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or folder/);
  });
});
