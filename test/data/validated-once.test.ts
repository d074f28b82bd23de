// Ingest validation runs once per file version (issue 10 item 5): the version ingest checked, or an
// earlier run validated, is not validated again by the runs that read it; a new version is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_DATABASE } from '../../src/app/demo';
import { LocalLake, validatedFiles } from '../../src/app/local-lake';
import { type ObjectVersion, validatedFilesIn, validateVersionOnce } from '../../src/data/validated-files';
import { tableLocation } from '../../src/governance/keys';
import { GOVERNANCE, seedLake } from '../support/fixtures';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'validated-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file version that passed validation is not validated again', () => {
  const validated = validatedFilesIn(join(dir, 'records'));
  const file = join(dir, 'rows.csv');
  const version: ObjectVersion = {
    bucket: 'raw',
    key: 'tables/d/t/rows.csv',
    versionId: 'v1',
    etag: '"e1"',
    size: 8,
  };

  test('the first look validates and records; the same version later is taken as checked', async () => {
    writeFileSync(file, 'a,b\n1,2\n');
    await validateVersionOnce(file, 'rows.csv', version, validated);
    expect(await validated.has(version)).toBe(true);
    // Stored versions never change; ragged bytes at the same path prove the file was not read again.
    writeFileSync(file, 'a,b\n1,2,3\n');
    await expect(validateVersionOnce(file, 'rows.csv', version, validated)).resolves.toBeUndefined();
  });

  test.each([
    ['a new version of the key', { versionId: 'v2' }],
    ['another ETag', { etag: '"e2"' }],
    ['another size', { size: 10 }],
    ['another key', { key: 'tables/d/t/other.csv' }],
  ])('%s is validated (and a bad one refused)', async (_what, change) => {
    writeFileSync(file, 'a,b\n1,2,3\n');
    await expect(validateVersionOnce(file, 'rows.csv', { ...version, ...change }, validated)).rejects.toThrow(
      /rows\.csv: line 2: 3 fields where the header has 2/,
    );
    expect(await validated.has({ ...version, ...change })).toBe(false);
  });
});

test('ingest records the version it validated and staged, so the run it starts need not validate it again', async () => {
  // The seed's base.csv (and customer_v0.csv) ingested by LocalLake.ingestTableFile (shared, copied).
  const lake = await LocalLake.open({ lake: await seedLake('v0', dir), governance: GOVERNANCE });
  try {
    const { bucket, key } = tableLocation(lake.services.settings, SEED_DATABASE, 'base');
    const head = await lake.services.s3.headObject({ Bucket: bucket, Key: `${key}base.csv` });
    const staged = {
      bucket,
      key: `${key}base.csv`,
      versionId: head.VersionId,
      etag: head.ETag!,
      size: head.ContentLength!,
    };
    expect(await validatedFiles(lake.services).has(staged)).toBe(true);
    expect(await validatedFiles(lake.services).has({ ...staged, versionId: 'another' })).toBe(false);
  } finally {
    await lake.close();
  }
});
