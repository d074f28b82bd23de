import { isTableDataKey } from '../../src/data/files';
import { glueName, tableFileName } from '../../src/data/names';

// The same cases as FilesTest in glue-scripts/test_governance_helpers.py: one definition, two twins.
describe("a table's data files, as Athena and Hive count them", () => {
  test.each(['a.csv', 'part-0.parquet', 'x.jsonl', 'year=2024/part-1.csv'])('%s is data', (key) => {
    expect(isTableDataKey(key)).toBe(true);
  });
  test.each([
    '_extra.csv',
    '.pii.csv',
    '_tmp/a.csv',
    '2024/.hidden/a.csv',
    'x.csv/',
    '',
    '_SUCCESS',
    'notes.md',
  ])('%s is not data', (key) => {
    expect(isTableDataKey(key)).toBe(false);
  });
});

describe('names refused at the edge, before anything is staged', () => {
  test.each([
    ['../y.csv', /\.\. path segment/],
    ['/etc/x.csv', /absolute path/],
    ['x.csv/', /names a folder/],
    ['a//b.csv', /empty/],
    [`${'n'.repeat(300)}.csv`, /over 255 bytes/],
    ['_extra.csv', /Athena and Hive skip/],
    ['.pii.csv', /Athena and Hive skip/],
    ['data.txt', /unsupported file type/],
  ])('%s', (name, reason) => {
    expect(() => tableFileName(name, 'tables/d/t/')).toThrow(reason);
  });

  test('a plain or partitioned name is accepted as given', () => {
    expect(tableFileName('year=2024/part-1.csv', 'tables/d/t/')).toBe('year=2024/part-1.csv');
  });

  test('a key over S3 1024 bytes is refused even when each segment fits', () => {
    const name = `${Array.from({ length: 5 }, () => 'd'.repeat(250)).join('/')}/a.csv`;
    expect(() => tableFileName(name, 'tables/d/t/')).toThrow(/1024 bytes/);
  });

  test('identifiers are lower-cased as Glue stores them, so RT.MixedCase and rt.mixedcase are one table', () => {
    expect(glueName('database', 'RT')).toBe('rt');
    expect(glueName('table', 'MixedCase')).toBe('mixedcase');
  });

  test.each(['information_schema', 'pg_catalog', 'main', 'INFORMATION_SCHEMA'])(
    'database %s is reserved',
    (db) => {
      expect(() => glueName('database', db)).toThrow(/reserved/);
    },
  );

  test.each(['a-b', '', 'x'.repeat(256), 'é'])('identifier %j is refused', (name) => {
    expect(() => glueName('table', name)).toThrow(/letters, digits or _/);
  });
});
