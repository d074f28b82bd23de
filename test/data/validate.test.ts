import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { listDataFiles } from '../../src/data/files';
import { createTableView } from '../../src/data/source';
import { validateDataFile } from '../../src/data/validate';

const dir = mkdtempSync(join(tmpdir(), 'data-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('a bad data file is refused with one line naming it and the fix', () => {
  test.each([
    ['an empty file', 'empty.csv', '', /empty\.csv: empty file/],
    ['a header-only CSV', 'header.csv', 'a,b,c\n', /header\.csv: has a header but no data rows/],
    [
      'a CSV with ragged rows',
      'ragged.csv',
      'a,b,c\n1,2,3\n4,5,6,7\n',
      /ragged\.csv: line 3: 4 fields where the header/,
    ],
    [
      'non-UTF-8 bytes',
      'latin1.csv',
      Buffer.from('a,b\n1,caf\xe9\n', 'latin1'),
      /latin1\.csv: not UTF-8.*re-save the file as UTF-8/,
    ],
    [
      'a binary file given as CSV',
      'binary.csv',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0]),
      /binary\.csv: looks binary/,
    ],
    [
      'a JSON lines file with a broken line',
      'rows.jsonl',
      '{"a":1}\n{"a":\n',
      /rows\.jsonl: line 2: not valid JSON/,
    ],
    [
      'a JSON array staged as it is (ingest converts it; Athena reads no arrays)',
      'arr.json',
      '[\n  {"a": 1}\n]\n',
      /arr\.json: a JSON array, which Athena cannot read/,
    ],
    [
      'a JSON line holding an array',
      'rows.jsonl',
      '{"a":1}\n[1,2]\n',
      /rows\.jsonl: line 2: expected a JSON object/,
    ],
    [
      'a TSV row of other width',
      'rows.tsv',
      'a\tb\n1\t2\t3\n',
      /rows\.tsv: line 2: 3 fields where the header/,
    ],
    ['a text file named .parquet', 'fake.parquet', 'a,b\n1,2\n', /fake\.parquet: not a Parquet file/],
    [
      'a forged Parquet (PAR1…PAR1)',
      'forged.parquet',
      'PAR1 not a footer PAR1',
      /forged\.parquet: not a readable Parquet/,
    ],
    [
      'JSON with a duplicated key',
      'dup.jsonl',
      '{"id":1,"email":"a@x","email":"b@x"}\n',
      /dup\.jsonl: line 1: a key appears twice/,
    ],
    [
      '5000-deep JSON',
      'deep.jsonl',
      `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}\n`,
      /deep\.jsonl: line 1: nested deeper than 64/,
    ],
    [
      'a 10 MB JSON cell',
      'big.jsonl',
      `{"a":"${'x'.repeat(10 << 20)}"}\n`,
      /big\.jsonl: line 1: a JSON object over/,
    ],
    ['a 10 MB CSV cell', 'big.csv', `a,b\n1,${'x'.repeat(10 << 20)}\n`, /big\.csv: line \d+: a row over/],
    ['an unsupported extension', 'notes.xlsx', 'x', /notes\.xlsx: unsupported file type/],
    [
      'a CSV row with too few fields',
      'short.csv',
      'a,b,c\n1,2\n',
      /short\.csv: line 2: 2 fields where the header has 3/,
    ],
    [
      'a CSV quote never closed',
      'quote.csv',
      'a,b\n1,"x\n2,3\n',
      /quote\.csv: line 2: a quoted value is not closed where it should be/,
    ],
    [
      'a CSV quote inside an unquoted value',
      'bare-quote.csv',
      'a,b\n1,"ok ""quoted"" value"\n900,x"y"\n',
      /bare-quote\.csv: line 3: not valid CSV \(.*quote/i,
    ],
    [
      'a ragged row deep in a large CSV (the whole file is read, not a sample)',
      'deep-ragged.csv',
      `id,name\n${'1,a\n'.repeat(300_000)}2,b,extra\n`,
      /deep-ragged\.csv: line 300002: 3 fields where the header has 2/,
    ],
    [
      'non-UTF-8 bytes deep in a large CSV',
      'deep-latin1.csv',
      Buffer.concat([
        Buffer.from(`id,name\n${'1,a\n'.repeat(300_000)}`),
        Buffer.from('2,caf\xe9\n', 'latin1'),
      ]),
      /deep-latin1\.csv: not UTF-8 \(invalid bytes on line 300002\)/,
    ],
    [
      'non-UTF-8 bytes in a JSON line',
      'latin1.jsonl',
      Buffer.from('{"a":"ok"}\n{"a":"caf\xe9"}\n', 'latin1'),
      /latin1\.jsonl: not UTF-8 \(invalid bytes on line 2\)/,
    ],
    [
      'a JSON file without line breaks over 1 MiB',
      'one-line.json',
      `{"a":[${'1,'.repeat(2 << 20)}1]}`,
      /one-line\.json: line 1: a JSON object over/,
    ],
  ])('%s', async (_what, name, content, message) => {
    const path = file(name, content);
    await expect(validateDataFile(path)).rejects.toThrow(message);
    // the file is never touched (Buffer#equals: jest's deep equality takes minutes on 10 MB)
    expect(readFileSync(path).equals(Buffer.from(content))).toBe(true);
  });

  test('a refusal never quotes a value of the file', async () => {
    const path = file('secret.jsonl', '{"email":"x@secret.example","email":"y@secret.example"}\n');
    await expect(validateDataFile(path)).rejects.toThrow(/^(?!.*secret\.example)[^\n]+$/);
  });

  test.each([
    ['a ragged row', 'a,b\n1,x@secret.example,extra\n'],
    ['an open quote', 'a,b\n1,"x@secret.example\n'],
    ['bad bytes', Buffer.concat([Buffer.from('a,b\n1,x@secret.example'), Buffer.from([0xe9, 0x0a])])],
  ])('a CSV refusal never quotes the row it failed on (%s)', async (_what, content) => {
    await expect(validateDataFile(file('secret.csv', content))).rejects.toThrow(
      /^secret\.csv: (?!.*secret\.example)[^\n]+$/,
    );
  });

  test('nested objects, arrays and escaped quotes in keys are not mistaken for duplicates', async () => {
    await expect(
      validateDataFile(
        file('nested.jsonl', '{"a":{"id":1},"b":{"id":2},"c":[{"id":1},{"id":2}],"d\\"":1,"d":2}\n'),
      ),
    ).resolves.toBeUndefined();
  });

  test('a good CSV passes, quoted commas included', async () => {
    await expect(validateDataFile(file('ok.csv', 'a,b\n1,"x, y"\n2,z\n'))).resolves.toBeUndefined();
  });
});

describe('a table is every data file under its location', () => {
  test('files are read together, columns matched by name', async () => {
    const t = mkdtempSync(join(tmpdir(), 'table-'));
    writeFileSync(join(t, 'part1.csv'), 'id,name\n1,a\n');
    writeFileSync(join(t, 'part2.csv'), 'name,id\nb,2\n');
    writeFileSync(join(t, '_SUCCESS'), '');
    const files = await listDataFiles(t);
    expect(files.map((f) => f.slice(t.length + 1))).toEqual(['part1.csv', 'part2.csv']);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const cols = await createTableView(c, 'primary', files);
    expect(cols.map((x) => x.name).sort()).toEqual(['id', 'name']);
    const rows = (await c.runAndReadAll('SELECT id, name FROM "primary" ORDER BY id')).getRowObjectsJson();
    expect(rows).toEqual([
      { id: '1', name: 'a' },
      { id: '2', name: 'b' },
    ]);
  });

  test('mixing formats in one table is refused', async () => {
    const t = mkdtempSync(join(tmpdir(), 'mixed-'));
    writeFileSync(join(t, 'a.csv'), 'id\n1\n');
    writeFileSync(join(t, 'b.jsonl'), '{"id":2}\n');
    const db = await DuckDBInstance.create(':memory:');
    await expect(createTableView(await db.connect(), 'p', await listDataFiles(t), 'db.t')).rejects.toThrow(
      /db\.t: mixes csv and json files/,
    );
  });
});
