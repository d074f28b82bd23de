// Issue 8's bad table input, on one lake: a file governance would skip is never served, and a name,
// identifier or format that would break governance is refused at the edge with nothing placed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DATABASE } from '../../src/app/demo';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import { tableLocation } from '../../src/governance/keys';
import { GOVERNANCE, seedLake } from '../support/fixtures';

jest.setTimeout(120_000);

const SEED = join(PROJECT_ROOT, 'samples/seed');
const dir = mkdtempSync(join(tmpdir(), 'bad-table-input-'));
const CUSTOMER = `${SEED_DATABASE}.customer`;

describe('bad table input in one lake', () => {
  let lake: LocalLake;
  const count = async (persona: string) =>
    Number((await lake.query(persona, `SELECT count(*) AS n FROM ${CUSTOMER}`)).rows[0]!.n);
  const keys = async () => {
    const location = tableLocation(lake.services.settings, SEED_DATABASE, 'customer');
    const page = await lake.services.s3.listObjectsV2({ Bucket: location.bucket, Prefix: location.key });
    return (page.Contents ?? []).map((o) => o.Key!).sort();
  };
  let governedRows: number;

  beforeAll(async () => {
    // The seed's base and customer_v0 ingested (shared, copied to dir/lake).
    lake = await LocalLake.open({ lake: await seedLake('v0', dir), governance: GOVERNANCE });
    governedRows = await count('category2');
  });
  afterAll(async () => {
    await lake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(['_extra.csv', '.pii.csv', '_tmp/more.csv'])(
    'a hidden file %s put straight into the table folder is neither governed nor served',
    async (name) => {
      const location = tableLocation(lake.services.settings, SEED_DATABASE, 'customer');
      await lake.services.s3.putObject({
        Bucket: location.bucket,
        Key: `${location.key}${name}`,
        Body: 'customer_name,customer_email\nx,hidden@example.com\n',
      });
      expect(await count('category2')).toBe(governedRows);
      expect(await count('category1')).toBe(governedRows);
    },
  );

  const good = join(SEED, 'customer_v1.csv');
  const json = join(dir, 'rows.jsonl');
  writeFileSync(json, '{"data_key":1}\n');

  test.each([
    ['../y.csv', good, SEED_DATABASE, /\.\. path segment/],
    ['/abs.csv', good, SEED_DATABASE, /absolute path/],
    ['x.csv/', good, SEED_DATABASE, /names a folder/],
    ['a//b.csv', good, SEED_DATABASE, /empty/],
    [`${'n'.repeat(300)}.csv`, good, SEED_DATABASE, /over 255 bytes/],
    ['_extra.csv', good, SEED_DATABASE, /skip/],
    ['rows.jsonl', json, SEED_DATABASE, /a json file into a csv table/],
    ['x.csv', good, 'information_schema', /reserved/],
  ])(
    '%s is refused with one line, nothing placed, the table still served',
    async (name, file, db, reason) => {
      const before = await keys();
      const refused = lake.ingestTableFile(file, db, 'customer', name);
      await expect(refused).rejects.toThrow(reason);
      await expect(refused).rejects.toThrow(/^[^\n]+$/);
      expect(await keys()).toEqual(before);
      expect(await count('category2')).toBe(governedRows);
    },
  );

  test('RT.MixedCase and rt.mixedcase are one table, as Glue lower-cases names', async () => {
    await lake.ingestTableFile(join(SEED, 'base.csv'), 'RT', 'MixedCase', 'a.csv');
    await lake.ingestTableFile(join(SEED, 'base.csv'), 'rt', 'mixedcase', 'b.csv');
    expect(
      (await lake.tables()).filter((t) => t.database.toLowerCase() === 'rt').map((t) => t.table),
    ).toEqual(['mixedcase']);
  });
});
