// autogov owns its LF-Tag keys at every level: whatever sets one of them outside autogov — on a
// column, where it overrides the table's value, or on the table — is put back by the next run,
// and keys autogov does not own stay as they are.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalLake } from '../../src/app/local-lake';
import { GOVERNANCE, seedLake } from '../support/fixtures';

const DB = 'oktank_autogov_temp';
let dir: string;
let lake: LocalLake;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'autogov-owned-keys-'));
  // The seed's base and customer_v0 ingested (shared, copied to dir/lake).
  lake = await LocalLake.open({ lake: await seedLake('v0', dir), governance: GOVERNANCE });
});

afterAll(async () => {
  await lake.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a column-level tbl_class planted outside autogov is removed by the next run; a foreign key stays', async () => {
  const lf = lake.services.lakeFormation;
  await lf.createLFTag({ TagKey: 'owner', TagValues: ['finance'] });
  const columns = (ColumnNames: string[]) => ({
    TableWithColumns: { DatabaseName: DB, Name: 'customer', ColumnNames },
  });
  await lf.addLFTagsToResource({
    Resource: columns(['data_key', 'customer_email']),
    LFTags: [{ TagKey: 'tbl_class', TagValues: ['public'] }],
  });
  await lf.addLFTagsToResource({
    Resource: columns(['data_key']),
    LFTags: [{ TagKey: 'owner', TagValues: ['finance'] }],
  });
  await lf.addLFTagsToResource({
    Resource: { Table: { DatabaseName: DB, Name: 'customer' } },
    LFTags: [{ TagKey: 'col_class', TagValues: ['public'] }],
  });
  // the planted key opens a sensitive table to category 3
  expect((await lake.access(DB, 'customer', 'category3')).category3).toEqual({
    allowed: true,
    columns: ['data_key'],
  });

  const run = await lake.start('govern-table', { database: DB, table: 'customer' });
  expect(run.status).toBe('SUCCEEDED');

  expect((await lake.access(DB, 'customer', 'category3')).category3).toEqual({ allowed: false, columns: [] });
  const tags = await lake.tags(DB, 'customer');
  expect(tags.table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ100' });
  expect(tags.columns.data_key).toEqual({ col_class: 'public', owner: 'finance' });
  expect(tags.columns.customer_email).toEqual({ col_class: 'sensitive' });

  // converged: the next run changes nothing
  const again = await lake.start('govern-table', { database: DB, table: 'customer' });
  expect(again.status).toBe('SUCCEEDED');
  expect(await lake.tags(DB, 'customer')).toEqual(tags);
});

test('autogov keys planted on the database are removed by the next run: an ungoverned table of it matches no grant again', async () => {
  const lf = lake.services.lakeFormation;
  // A table never governed (created in the catalog by hand): no tags of its own.
  await lake.services.glue.createTable({
    DatabaseName: DB,
    TableInput: {
      Name: 'ungoverned',
      StorageDescriptor: { Columns: [{ Name: 'email', Type: 'string' }], Location: 's3://nowhere/x/' },
    },
  });
  const onDatabase = { Database: { Name: DB } };
  await lf.addLFTagsToResource({
    Resource: onDatabase,
    LFTags: [
      { TagKey: 'tbl_class', TagValues: ['public'] },
      { TagKey: 'col_class', TagValues: ['public'] },
      { TagKey: 'dq_tag', TagValues: ['DQ100'] },
      { TagKey: 'owner', TagValues: ['finance'] },
    ],
  });
  // Every column of the ungoverned table inherits the planted values: category 3 would read it.
  expect((await lake.access(DB, 'ungoverned', 'category3')).category3).toEqual({
    allowed: true,
    columns: ['email'],
  });

  const run = await lake.start('govern-table', { database: DB, table: 'customer' });
  expect(run.status).toBe('SUCCEEDED');

  const databaseTags = async () =>
    (await lf.getResourceLFTags({ Resource: onDatabase, ShowAssignedLFTags: true })).LFTagOnDatabase?.map(
      (t) => `${t.TagKey}=${t.TagValues?.join('|')}`,
    );
  expect(await databaseTags()).toEqual(['owner=finance']);
  expect((await lake.access(DB, 'ungoverned', 'category3')).category3).toEqual({
    allowed: false,
    columns: [],
  });
  // The governed table keeps its own tags; a re-run changes nothing.
  expect((await lake.tags(DB, 'customer')).table).toEqual({ tbl_class: 'sensitive', dq_tag: 'DQ100' });
  expect((await lake.start('govern-table', { database: DB, table: 'customer' })).status).toBe('SUCCEEDED');
  expect(await databaseTags()).toEqual(['owner=finance']);
});
