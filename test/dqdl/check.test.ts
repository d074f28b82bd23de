// `dq check`: a ruleset against local files, with a reference table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkDqdl } from '../../src/dqdl/check';
import { UserError } from '../../src/errors';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autogov-dq-check-'));
  writeFileSync(
    path.join(dir, 'customers.csv'),
    'data_key,data_location,data_load_date\n1,Paris,2024-01-01\n2,Lyon,2024-01-02\n3,Atlantis,\n',
  );
  writeFileSync(path.join(dir, 'locations.jsonl'), '{"data_location":"Paris"}\n{"data_location":"Lyon"}\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('evaluates a ruleset against a CSV file with a JSON-lines reference', async () => {
  const r = await checkDqdl(
    `Rules = [
      ColumnExists "data_key", IsPrimaryKey "data_key",
      ReferentialIntegrity "data_location" "reference.data_location" = 1.0,
      IsComplete "data_load_date"
    ]`,
    path.join(dir, 'customers.csv'),
    { reference: path.join(dir, 'locations.jsonl') },
  );
  expect(r.rules.map((x) => [x.rule, x.outcome])).toEqual([
    ['ColumnExists "data_key"', 'PASS'],
    ['IsPrimaryKey "data_key"', 'PASS'],
    ['ReferentialIntegrity "data_location" "reference.data_location" = 1.0', 'FAIL'],
    ['IsComplete "data_load_date"', 'FAIL'],
  ]);
  expect(r.rules[2]!.metrics['Column.reference.ReferentialIntegrity']).toBeCloseTo(2 / 3);
  expect(r.score).toBe(0.5);
});

test('a ruleset that does not parse is a UserError with line:column', async () => {
  await expect(
    checkDqdl('Rules = [ RowCount > ]', path.join(dir, 'customers.csv'), {}, { rulesetLabel: 'x.dqdl' }),
  ).rejects.toThrow(/^x\.dqdl:1:\d+: /);
});

test('bad inputs are UserErrors', async () => {
  await expect(checkDqdl('Rules = [ RowCount > 0 ]', path.join(dir, 'nope.csv'))).rejects.toBeInstanceOf(
    UserError,
  );
  await expect(
    checkDqdl('Rules = [ RowCount > 0 ]', path.join(dir, 'customers.csv'), { 'bad alias': 'x' }),
  ).rejects.toThrow(/alias/);
});

test('a TSV file and a JSON-array reference are evaluated as ingest would stage them', async () => {
  writeFileSync(path.join(dir, 'customers.tsv'), 'data_key\tdata_location\n1\tParis\n2\t"Lyon"\n');
  writeFileSync(
    path.join(dir, 'locations.json'),
    '[\n  {"data_location": "Paris"},\n  {"data_location": "\\"Lyon\\""}\n]\n',
  );
  const r = await checkDqdl(
    'Rules = [ ReferentialIntegrity "data_location" "reference.data_location" = 1.0, RowCount = 2 ]',
    path.join(dir, 'customers.tsv'),
    { reference: path.join(dir, 'locations.json') },
  );
  // the TSV's quotes are part of the value (no quoting in TSV), as in the JSON reference
  expect(r.rules.map((x) => x.outcome)).toEqual(['PASS', 'PASS']);
});
