// The promoteTable Lambda (the PromoteFiles step, after ApplyTags) through its cloud entry point, with
// the real S3 client it builds from the environment, against a moto server: what a successful run
// evaluated (its manifest) is copied from the staged raw folder to the certified location the catalog
// points to, and nothing else is. moto does not check CopySourceIfMatch (its CopyObject and
// UploadPartCopy ignore the header); the refusal of a changed source asserted here is the handler's own
// check, made before anything is copied, and the emulator's 412 is tested in test/local/s3-multipart.test.ts.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { S3 } from '@aws-sdk/client-s3';
import { copySourceOf, MULTIPART } from '../../src/aws/s3-copy';
import { s3Uri } from '../../src/aws/s3-json';
import type { Settings } from '../../src/aws/services';
import {
  type Manifest,
  manifestOf,
  promote,
  SOURCE_ETAG_METADATA,
  uncertifiedChanges,
} from '../../src/data/certify';
import { listTableObjects } from '../../src/data/table-objects';
import {
  certifiedLocation,
  certifiedRunLocation,
  manifestLocation,
  tableLocation,
} from '../../src/governance/keys';
import { type Moto, startMoto } from '../support/moto';

const ROOT = join(__dirname, '../..');
const DB = 'oktank_autogov_temp';
const settings = {
  rawBucket: 'autogov-dev-raw',
  artifactsBucket: 'autogov-dev-artifacts',
  certifiedBucket: 'autogov-dev-certified',
} as Settings;
// What serverless.yml puts in promoteTable's environment, plus where the SDK finds moto.
const lambdaEnv = (endpoint: string): NodeJS.ProcessEnv => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  STAGE: 'dev',
  RAW_BUCKET: settings.rawBucket,
  ARTIFACTS_BUCKET: settings.artifactsBucket,
  CERTIFIED_BUCKET: settings.certifiedBucket,
  EVENT_BUS_NAME: 'default',
  GOVERN_TABLE_STATE_MACHINE_ARN:
    'arn:aws:states:us-east-1:123456789012:stateMachine:autogov-dev-govern-table',
  AUTOGOV_GOVERNANCE: 'governance.yml',
  LAMBDA_TASK_ROOT: ROOT,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv;
let s3: S3;

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION']) delete process.env[k];
  Object.assign(process.env, lambdaEnv(moto.endpoint));
  s3 = new S3();
  // As the stack has them: every bucket versioned (certified too, so a test can count its versions).
  for (const Bucket of [settings.rawBucket, settings.artifactsBucket, settings.certifiedBucket]) {
    await s3.createBucket({ Bucket });
    await s3.putBucketVersioning({ Bucket, VersioningConfiguration: { Status: 'Enabled' } });
  }
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  process.env = savedEnv;
  await moto?.stop();
});

const promoteTable = (event: unknown): Promise<Record<string, unknown>> =>
  require('../../functions/promote-table').handler(event);

const staged = (table: string) => tableLocation(settings, DB, table);
const certified = (table: string) => certifiedLocation(settings, DB, table);

/** Uploads a staged file as a user would; returns what the run's listing records for it. */
async function upload(table: string, name: string, body: string | Buffer) {
  const at = staged(table);
  const put = await s3.putObject({
    Bucket: at.bucket,
    Key: `${at.key}${name}`,
    Body: body,
    ContentType: 'text/csv',
  });
  return {
    key: `${at.key}${name}`,
    name,
    etag: put.ETag!,
    versionId: put.VersionId,
    size: Buffer.byteLength(body),
    modified: new Date(),
  };
}

type Staged = Awaited<ReturnType<typeof upload>>;

/** The manifest the run writes once it has evaluated `files` (resolveTable/the job, in the stack). */
async function evaluated(table: string, runId: string, files: Staged[]) {
  const manifest = manifestOf({ database: DB, table, runId }, staged(table), certified(table), files);
  const at = manifestLocation(settings, DB, table, runId);
  await s3.putObject({ Bucket: at.bucket, Key: at.key, Body: JSON.stringify(manifest) });
  return { manifest, manifestUri: s3Uri(at) };
}

const text = async (bucket: string, key: string) =>
  (await s3.getObject({ Bucket: bucket, Key: key })).Body!.transformToString();

/** name → content of every data file the certified location serves. */
async function served(table: string): Promise<Record<string, string>> {
  const at = certified(table);
  const files = await listTableObjects(s3, at);
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f.name, await text(at.bucket, f.key)])),
  );
}

const certifiedVersions = async (table: string) =>
  (await s3.listObjectVersions({ Bucket: settings.certifiedBucket, Prefix: certified(table).key })).Versions
    ?.length ?? 0;

describe('promoteTable against moto: certified before served', () => {
  let run1: string;
  let partB: Staged;

  test('copies exactly the files the run evaluated, as evaluated, and records the run', async () => {
    const a = await upload('customer', 'part-a.csv', 'id\n1\n');
    partB = await upload('customer', 'year=2026/part-b.csv', 'id\n2\n');
    const { manifestUri } = await evaluated('customer', 'run-1', [a, partB]);
    run1 = manifestUri;
    // Uploaded after the run listed the table: staged, not evaluated, so not served.
    await upload('customer', 'part-late.csv', 'id\n3\n');
    // A newer version of an evaluated file: the run promotes the version it read.
    await upload('customer', 'part-a.csv', 'id\n1\nnot evaluated\n');

    const result = await promoteTable({ database: DB, table: 'customer', manifestUri });
    expect(result).toEqual({ runId: 'run-1', files: 2, copied: 2, unchanged: 0, removed: 0 });
    expect(await served('customer')).toEqual({ 'part-a.csv': 'id\n1\n', 'year=2026/part-b.csv': 'id\n2\n' });
    // The copy says which staged bytes it holds, and keeps the upload's content type.
    const head = await s3.headObject({
      Bucket: settings.certifiedBucket,
      Key: `${certified('customer').key}part-a.csv`,
    });
    expect(head.Metadata?.[SOURCE_ETAG_METADATA]).toBe(a.etag);
    expect(head.ContentType).toBe('text/csv');
    const record = JSON.parse(
      await text(settings.artifactsBucket, certifiedRunLocation(settings, DB, 'customer').key),
    );
    expect(record).toMatchObject({ runId: 'run-1', copied: 2, manifestUri });
    // The staged folder is as uploaded: raw objects are never modified or deleted.
    const rawVersions = await s3.listObjectVersions({
      Bucket: settings.rawBucket,
      Prefix: staged('customer').key,
    });
    expect(rawVersions.Versions).toHaveLength(4);
  });

  test('a re-run of the same promotion copies nothing', async () => {
    const before = await certifiedVersions('customer');
    const again = await promoteTable({ database: DB, table: 'customer', manifestUri: run1 });
    expect(again).toMatchObject({ copied: 0, unchanged: 2, removed: 0 });
    expect(await certifiedVersions('customer')).toBe(before);
  });

  test('a file the next run did not evaluate stops being served', async () => {
    const { manifestUri } = await evaluated('customer', 'run-2', [partB]);
    expect(await promoteTable({ database: DB, table: 'customer', manifestUri })).toMatchObject({
      copied: 0,
      unchanged: 1,
      removed: 1,
    });
    expect(Object.keys(await served('customer'))).toEqual(['year=2026/part-b.csv']);
  });

  test('a staged file changed since the run evaluated it refuses the whole promotion, naming it', async () => {
    const x = await upload('orders', 'x.csv', 'id\n1\n');
    const y = await upload('orders', 'y.csv', 'id\n2\n');
    const { manifestUri } = await evaluated('orders', 'run-2', [x, { ...y, versionId: undefined }]);
    await upload('orders', 'y.csv', 'id\nsecret@example.com\n');
    const refused = promoteTable({ database: DB, table: 'orders', manifestUri });
    await expect(refused).rejects.toThrow(
      'tables/oktank_autogov_temp/orders/y.csv: the staged file changed since run run-2 evaluated it; nothing promoted — re-run governance of oktank_autogov_temp.orders',
    );
    await expect(refused).rejects.not.toThrow(/secret/);
    // x.csv was unchanged, but nothing was copied: the certified location serves nothing new.
    expect(await served('orders')).toEqual({});
  });

  test('an evaluated version deleted since the run: refused, nothing promoted', async () => {
    const z = await upload('orders', 'z.csv', 'id\n3\n');
    const { manifestUri } = await evaluated('orders', 'run-3', [z]);
    await s3.deleteObject({ Bucket: settings.rawBucket, Key: z.key, VersionId: z.versionId });
    await expect(promoteTable({ database: DB, table: 'orders', manifestUri })).rejects.toThrow(
      /^tables\/oktank_autogov_temp\/orders\/z\.csv: the staged file is gone since run run-3 evaluated it; nothing promoted/,
    );
    expect(await served('orders')).toEqual({});
  });

  test('a run without a manifest of its own promotes nothing', async () => {
    const missing = s3Uri(manifestLocation(settings, DB, 'orders', 'never-ran'));
    await expect(promoteTable({ database: DB, table: 'orders', manifestUri: missing })).rejects.toThrow(
      `${missing}: manifest of evaluated files not found`,
    );
    const { manifestUri } = await evaluated('customer', 'run-4', []);
    await expect(promoteTable({ database: DB, table: 'orders', manifestUri })).rejects.toThrow(
      /manifest is for oktank_autogov_temp\.customer, not oktank_autogov_temp\.orders$/,
    );
    expect(await served('orders')).toEqual({});
  });
});

describe('files over CopyObject’s limit are copied in parts (UploadPartCopy), limit lowered for the test', () => {
  // S3's own part minimum (moto enforces it too), a CopyObject limit just above it: 11 MiB is 3 parts.
  const limits = { maxCopyObjectBytes: MULTIPART.minPartBytes + 1, partBytes: MULTIPART.minPartBytes };
  const big = Buffer.alloc(11 * 1024 ** 2, 'id,email\n1,someone@example.com\n');
  let manifest: Manifest;

  test('the certified copy has the evaluated bytes, in parts, and names its source', async () => {
    const file = await upload('events', 'big.csv', big);
    ({ manifest } = await evaluated('events', 'run-5', [file]));
    expect(await promote(s3, manifest, limits)).toEqual({ copied: 1, unchanged: 0, removed: 0 });
    const at = certified('events');
    const copy = await s3.getObject({ Bucket: at.bucket, Key: `${at.key}big.csv` });
    expect(copy.ETag).toMatch(/-3"$/);
    const bytes = Buffer.from(await copy.Body!.transformToByteArray());
    expect(createHash('md5').update(bytes).digest('hex')).toBe(createHash('md5').update(big).digest('hex'));
    expect(copy.Metadata?.[SOURCE_ETAG_METADATA]).toBe(file.etag);
    const uploads = await s3.listMultipartUploads({ Bucket: at.bucket });
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  test('its ETag differs from the staged one, yet a re-run copies nothing and nothing is uncertified', async () => {
    expect(await promote(s3, manifest, limits)).toEqual({ copied: 0, unchanged: 1, removed: 0 });
    expect(await uncertifiedChanges(s3, staged('events'), certified('events'))).toBe(0);
  });

  test('a part that fails aborts the upload: no parts are left, nothing is served', async () => {
    const file = await upload('clicks', 'big.csv', big);
    const { manifest: m } = await evaluated('clicks', 'run-6', [file]);
    const failing = Object.create(s3) as S3;
    let calls = 0;
    failing.uploadPartCopy = (input) => {
      if (++calls === 2) return Promise.reject(Object.assign(new Error('SlowDown'), { name: 'SlowDown' }));
      expect(input.CopySource).toBe(
        copySourceOf({ bucket: settings.rawBucket, key: file.key, versionId: file.versionId }),
      );
      return s3.uploadPartCopy(input);
    };
    await expect(promote(failing, m, limits)).rejects.toThrow('SlowDown');
    expect((await s3.listMultipartUploads({ Bucket: settings.certifiedBucket })).Uploads ?? []).toEqual([]);
    expect(await served('clicks')).toEqual({});
  });
});
