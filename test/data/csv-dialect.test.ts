import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableView } from '../../src/data/source';

const dir = mkdtempSync(join(tmpdir(), 'csv-dialect-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function view(path: string) {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const columns = await createTableView(connection, 't', [path]);
  const rows = (await connection.runAndReadAll('SELECT * FROM t')).getRowObjectsJson();
  return { columns: columns.map((c) => c.name), rows };
}

describe("a table's files are read in its format's dialect, as Athena reads them, never a sniffed one", () => {
  test('a .csv is comma-separated: a file separated by semicolons is one column, not split on them', async () => {
    const { columns, rows } = await view(file('semi.csv', 'id;name\n1;Ann\n2;Bob\n'));
    expect(columns).toEqual(['id;name']);
    expect(rows).toEqual([{ 'id;name': '1;Ann' }, { 'id;name': '2;Bob' }]);
  });

  test('a .csv quotes with " and escapes a quote by doubling it (RFC 4180)', async () => {
    const { rows } = await view(file('quoted.csv', 'id,note\n1,"a, b"\n2,"say ""hi"""\n'));
    expect(rows).toEqual([
      { id: '1', note: 'a, b' },
      { id: '2', note: 'say "hi"' },
    ]);
  });

  test('a .tsv splits on tabs only and keeps quotes as text (LazySimpleSerDe has no quoting)', async () => {
    const { columns, rows } = await view(file('t.tsv', 'id\tnote\n1\t"a, b"\n'));
    expect(columns).toEqual(['id', 'note']);
    expect(rows).toEqual([{ id: '1', note: '"a, b"' }]);
  });
});
