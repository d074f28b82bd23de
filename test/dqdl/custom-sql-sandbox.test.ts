// A ruleset is written by whoever may edit the rulesets, not by whoever may read the host: CustomSql
// and where clauses read the evaluated table and its reference aliases only, and no message
// quotes a cell of either.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkDqdl } from '../../src/dqdl/check';
import { confineToFiles } from '../../src/sql/sandbox';

const MARKER = 'zq7marker@example.com';
const HOST_SECRET = 'host-secret-line-4711';
let dir: string;
let customers: string;
let locations: string;
let elsewhere: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autogov-sandbox-'));
  customers = path.join(dir, 'customers.csv');
  locations = path.join(dir, 'locations.csv');
  elsewhere = path.join(dir, 'host-file.txt');
  writeFileSync(customers, `id,email,location\n1,${MARKER},Paris\n2,b@example.com,Lyon\n`);
  writeFileSync(locations, 'location\nParis\nLyon\n');
  writeFileSync(elsewhere, `${HOST_SECRET}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outcome(rule: string) {
  const r = await checkDqdl(`Rules = [ ${rule} ]`, customers, { reference: locations });
  const result = r.rules[0]!;
  // whatever the rule did, nothing it reports holds a cell value or the host file
  expect(JSON.stringify(r)).not.toContain(MARKER);
  expect(JSON.stringify(r)).not.toContain(HOST_SECRET);
  return result;
}

describe('CustomSql reads primary and the reference aliases only', () => {
  test.each([
    [
      'a host file through read_text',
      `CustomSql "select count(*) from read_text('${'/etc/passwd'}')" > 0`,
      /table function read_text\(\) is not allowed/,
    ],
    [
      'a host file in a subquery',
      `CustomSql "select count(*) from primary where email in (select content from read_text('${'/etc/passwd'}'))" = 0`,
      /read_text\(\) is not allowed/,
    ],
    [
      'another file through read_csv',
      `CustomSql "select count(*) from read_csv('${'/etc/hosts'}')" > 0`,
      /table function read_csv\(\) is not allowed/,
    ],
    [
      'a file named as a table',
      `CustomSql "select count(*) from '${'/etc/passwd'}'" > 0`,
      /\/etc\/passwd is not readable here; read primary and the reference aliases \(reference\)/,
    ],
    [
      'the catalog',
      `CustomSql "select count(*) from information_schema.tables" > 0`,
      /information_schema\.tables is not readable here/,
    ],
    [
      'a setting',
      `CustomSql "select current_setting('threads')" > 0`,
      /function current_setting\(\) is not allowed/,
    ],
    [
      'a settings table',
      `CustomSql "select count(*) from duckdb_settings()" > 0`,
      /duckdb_settings\(\) is not allowed/,
    ],
    ['SET', `CustomSql "SET enable_external_access = true" > 0`, /only a SELECT statement may run here/],
    ['ATTACH', `CustomSql "ATTACH '${'/tmp/x.db'}' AS x" > 0`, /only a SELECT statement may run here/],
    [
      'a second statement',
      `CustomSql "select 1; select count(*) from read_text('${'/etc/passwd'}')" > 0`,
      /exactly one SELECT statement/,
    ],
    [
      'a raised cell value',
      `CustomSql "select error(max(email)) from primary" > 0`,
      /function error\(\) is not allowed/,
    ],
  ])('%s is refused as an ERROR naming what is allowed', async (_, rule, message) => {
    const r = await outcome(rule);
    expect(r.outcome).toBe('ERROR');
    expect(r.message).toMatch(/^CustomSql may read only the evaluated data: /);
    expect(r.message).toMatch(message);
  });

  test('a where clause cannot read files either', async () => {
    const r = await outcome(
      `IsComplete "email" where "email in (select content from read_text('${elsewhere}'))"`,
    );
    expect(r.outcome).toBe('ERROR');
    expect(r.message).toMatch(
      /The where clause may read only the evaluated data: table function read_text\(\)/,
    );
  });

  test('primary, the reference alias and the statement’s own CTEs still work', async () => {
    expect(
      (
        await outcome(
          `CustomSql "select count(*) from primary p join reference r on p.location = r.location" = 2`,
        )
      ).outcome,
    ).toBe('PASS');
    expect(
      (await outcome(`CustomSql "with x as (select id from primary) select count(*) from x" = 2`)).outcome,
    ).toBe('PASS');
  });
});

describe('no message quotes a cell value', () => {
  test.each([
    ['a conversion error', `CustomSql "select max(cast(email as integer)) from primary" > 0`],
    ['a non-numeric result', `CustomSql "select max(email) from primary" > 0`],
    ['a JSON error', `CustomSql "select count(json_extract(email, '$.a')) from primary" > 0`],
    ['a date error', `CustomSql "select count(strptime(email, '%Y')) from primary" > 0`],
    ['a where clause that converts', `IsComplete "id" where "cast(email as date) > '2024-01-01'"`],
  ])('%s gives an ERROR without the value', async (_, rule) => {
    const r = await outcome(rule);
    expect(r.outcome).toBe('ERROR');
    expect(r.message).toBeTruthy();
  });

  test('a non-numeric result says what to return', async () => {
    expect((await outcome(`CustomSql "select max(email) from primary" > 0`)).message).toBe(
      'CustomSql returned a non-numeric value (values are not shown); it must return one number',
    );
  });
});

test('a confined connection reads its own files only and cannot be opened again, whatever SQL reaches it', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE VIEW t AS SELECT * FROM read_csv('${customers}')`);
    await confineToFiles(connection, [customers]);
    expect((await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]).toBe(2n);
    await expect(connection.run(`SELECT * FROM read_text('${elsewhere}')`)).rejects.toThrow(
      /disabled by configuration/,
    );
    await expect(connection.run(`ATTACH '${path.join(dir, 'x.db')}' AS x`)).rejects.toThrow();
    await expect(connection.run('SET enable_external_access = true')).rejects.toThrow(/Cannot enable/);
    await expect(connection.run(`SET allowed_paths = ['${elsewhere}']`)).rejects.toThrow(/Cannot change/);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
});
