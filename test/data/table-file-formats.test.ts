// Issue 11's rough edges on table files: TSV and JSON arrays accepted as a user exports them, and a
// file of other columns than its table's refused (or accepted with --allow-new-columns), locally as
// the cloud's Athena and Glue job would treat the same objects.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import { tableLocation } from '../../src/governance/keys';
import { autogovInProcess } from '../support/cli';

jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'table-file-formats-'));
const DB = 'formats';
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('table files as users export them', () => {
  let lake: LocalLake;
  const rows = async (sql: string) => (await lake.query('category1', sql)).rows;
  const staged = async (table: string) => {
    const location = tableLocation(lake.services.settings, DB, table);
    const page = await lake.services.s3.listObjectsV2({ Bucket: location.bucket, Prefix: location.key });
    return (page.Contents ?? []).map((o) => o.Key!.slice(location.key.length)).sort();
  };
  const putStaged = (table: string, name: string, body: string) => {
    const location = tableLocation(lake.services.settings, DB, table);
    return lake.services.s3.putObject({ Bucket: location.bucket, Key: `${location.key}${name}`, Body: body });
  };

  beforeAll(async () => {
    lake = await LocalLake.open({
      lake: join(dir, 'lake'),
      governance: join(PROJECT_ROOT, 'governance.yml'),
    });
  });
  afterAll(async () => {
    await lake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('TSV', () => {
    test('a .tsv file is governed and served as Athena LazySimpleSerDe reads it: tab-separated, no quoting', async () => {
      const tsv = file('items.tsv', 'sku\tqty\tnote\nA-1\t3\t5" screen\nB-2\t7\t"boxed"\n');
      const [run] = await lake.ingestTableFile(tsv, DB, 'items');
      expect(run!.status).toBe('SUCCEEDED');
      expect(await rows(`SELECT sku, note FROM ${DB}.items ORDER BY sku`)).toEqual([
        { sku: 'A-1', note: '5" screen' },
        { sku: 'B-2', note: '"boxed"' },
      ]);
      const table = await lake.services.glue.getTable({ DatabaseName: DB, Name: 'items' });
      expect(table.Table?.Parameters).toMatchObject({ classification: 'csv', delimiter: '\t' });
    });

    test('a TSV row with another number of fields is refused with one line naming it', async () => {
      const bad = file('ragged.tsv', 'sku\tqty\tnote\nC-3\t1\n');
      const before = await staged('items');
      await expect(lake.ingestTableFile(bad, DB, 'items')).rejects.toThrow(
        /^ragged\.tsv: line 2: 2 fields where the header has 3; fix the row \(a TSV value cannot hold a tab\)$/,
      );
      expect(await staged('items')).toEqual(before);
    });

    test('a TSV file into a CSV table is refused: one format per table', async () => {
      await expect(
        lake.ingestTableFile(file('more.csv', 'sku,qty,note\nD,1,x\n'), DB, 'items'),
      ).rejects.toThrow(/more\.csv: a csv file into a tsv table \(items\.tsv\)/);
    });
  });

  describe('JSON arrays', () => {
    const pretty = `[\n  {\n    "id": 12345678901234567890,\n    "kind": "open",\n    "tags": ["a", "b"]\n  },\n  { "id": 2, "kind": "a \\"quoted\\" ] , { word" }\n]\n`;

    test('an exported array is staged as JSON lines, each object copied exactly, and governed', async () => {
      const [run] = await lake.ingestTableFile(file('events.json', pretty), DB, 'events');
      expect(run!.status).toBe('SUCCEEDED');
      const location = tableLocation(lake.services.settings, DB, 'events');
      const object = readFileSync(
        await lake.services.s3.localPath(location.bucket, `${location.key}events.json`),
        'utf8',
      );
      expect(object).toBe(
        '{"id":12345678901234567890,"kind":"open","tags":["a","b"]}\n{"id":2,"kind":"a \\"quoted\\" ] , { word"}\n',
      );
      expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${DB}.events`)).toEqual([{ n: 2 }]);
    });

    test('an array put straight into the raw bucket fails its run with one line; the served data stays', async () => {
      await putStaged('events', 'more.json', '[{"id":3,"kind":"late"}]');
      const run = await lake.start('govern-table', { database: DB, table: 'events' });
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/more\.json: a JSON array, which Athena cannot read/);
      expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${DB}.events`)).toEqual([{ n: 2 }]);
    });

    test.each([
      ['not-objects.json', '[1, 2]', /element 1 is not an object/],
      ['no-comma.json', '[{"a":1} {"a":2}]', /a comma or \] expected after element 1/],
      ['unclosed.json', '[{"a":1},', /ends before its closing \]/],
      ['trailing.json', '[{"a":1}] {"a":2}', /text after the closing \]/],
      ['empty.json', '[ ]', /an empty JSON array/],
      ['dup.json', '[{"a":1,"a":2}]', /a key appears twice in one object/],
    ])('%s is refused with one line, nothing staged', async (name, text, reason) => {
      const before = await staged('events');
      const refused = lake.ingestTableFile(file(name, text), DB, 'events');
      await expect(refused).rejects.toThrow(reason);
      await expect(refused).rejects.toThrow(/^[^\n]+$/);
      expect(await staged('events')).toEqual(before);
    });
  });

  describe('a file of other columns than its table', () => {
    beforeAll(async () => {
      await lake.ingestTableFile(file('customer_v1.csv', 'id,name,phone\n1,a,x\n2,b,y\n'), DB, 'people');
    });

    test('is refused with the difference named and nothing staged', async () => {
      const v2 = file('customer_v2.csv', 'id,name,nickname\n3,c,z\n');
      await expect(lake.ingestTableFile(v2, DB, 'people')).rejects.toThrow(
        /^customer_v2\.csv: columns differ from formats\.people: missing phone; new nickname — pass --allow-new-columns to accept them/,
      );
      expect(await staged('people')).toEqual(['customer_v1.csv']);
    });

    test('at the CLI, plan refuses it with exit 2 and one line, and plans it with --allow-new-columns', async () => {
      const v2 = file('customer_v2.csv', 'id,name,nickname\n3,c,z\n');
      const lakeDir = join(dir, 'lake');
      await lake.close(); // one writer per lake: the CLI command takes it for a while
      try {
        const refused = await autogovInProcess(lakeDir, 'plan', v2, '--table', `${DB}.people`);
        expect(refused.code).toBe(2);
        expect(refused.stderr.trim()).toMatch(
          /^autogov: customer_v2\.csv: columns differ from formats\.people: missing phone; new nickname — pass --allow-new-columns/,
        );
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
        const planned = await autogovInProcess(
          lakeDir,
          '--json',
          'plan',
          v2,
          '--table',
          `${DB}.people`,
          '--allow-new-columns',
        );
        expect(planned.code).toBe(0);
        expect(JSON.parse(planned.stdout)).toMatchObject({ applied: false, plan: [{ table: 'people' }] });
      } finally {
        lake = await LocalLake.open({ lake: lakeDir, governance: join(PROJECT_ROOT, 'governance.yml') });
      }
      expect(await staged('people')).toEqual(['customer_v1.csv']);
    });

    test('another file of the same columns in another order is accepted', async () => {
      const [run] = await lake.ingestTableFile(file('reordered.csv', 'phone,id,name\nw,4,d\n'), DB, 'people');
      expect(run!.status).toBe('SUCCEEDED');
    });

    test('with --allow-new-columns it is accepted and the table gains the column', async () => {
      const v2 = file('customer_v2.csv', 'id,name,nickname\n3,c,z\n');
      const [run] = await lake.ingestTableFile(v2, DB, 'people', undefined, { allowNewColumns: true });
      expect(run!.status).toBe('SUCCEEDED');
      expect(await lake.tableColumns(DB, 'people')).toEqual(expect.arrayContaining(['nickname', 'phone']));
    });

    test('put straight into the raw bucket without the approval, its run fails naming the new columns', async () => {
      await putStaged('people', 'stocks.csv', 'id,ticker,price\n9,ACME,1.5\n');
      const run = await lake.start('govern-table', { database: DB, table: 'people' });
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(
        /formats\.people: stocks\.csv: new columns ticker, price not in formats\.people; upload it with metadata autogov-allow-new-columns=true/,
      );
      expect(await lake.tableColumns(DB, 'people')).not.toContain('ticker');
    });
  });
});
