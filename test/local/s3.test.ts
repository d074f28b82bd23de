import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEvent } from '../../src/local/s3';
import { LocalS3 } from '../../src/local/s3';
import { type Lake, openLake } from '../../src/local/store';
import { rejection, tempDir } from './helpers';

describe('LocalS3', () => {
  let tmp: ReturnType<typeof tempDir>;
  let lake: Lake;
  let s3: LocalS3;
  let events: EventBridgeEvent[];

  beforeEach(async () => {
    tmp = tempDir();
    lake = await openLake(tmp.dir);
    events = [];
    s3 = new LocalS3(lake, { onEvent: (e) => void events.push(e) });
    await s3.createBucket('raw', { eventBridge: true });
    await s3.createBucket('quiet');
  });
  afterEach(async () => {
    await lake.close();
    tmp.cleanup();
  });

  it('puts and gets objects with quoted MD5 ETag, version ids, content type and metadata', async () => {
    const put = await s3.putObject({
      Bucket: 'raw',
      Key: 'a/b.csv',
      Body: 'x,y\n1,2\n',
      ContentType: 'text/csv',
      Metadata: { Owner: 'me' },
    });
    // quoted MD5 of the body
    expect(put.ETag).toBe(`"${createHash('md5').update('x,y\n1,2\n').digest('hex')}"`);
    const got = await s3.getObject({ Bucket: 'raw', Key: 'a/b.csv' });
    expect(await got.Body!.transformToString()).toBe('x,y\n1,2\n');
    expect(got).toMatchObject({
      ETag: put.ETag,
      VersionId: put.VersionId,
      ContentType: 'text/csv',
      ContentLength: 8,
    });
    expect(got.Metadata).toEqual({ owner: 'me' });
    const head = await s3.headObject({ Bucket: 'raw', Key: 'a/b.csv' });
    expect(head.ContentLength).toBe(8);
    // the current version is a plain file under s3/<bucket>/<key>
    expect(readFileSync(join(tmp.dir, 's3', 'raw', 'a', 'b.csv'), 'utf8')).toBe('x,y\n1,2\n');
  });

  it('serves byte ranges like S3', async () => {
    await s3.putObject({ Bucket: 'raw', Key: 'r.bin', Body: '0123456789abcdefXYZ' });
    const first = await s3.getObject({ Bucket: 'raw', Key: 'r.bin', Range: 'bytes=0-15' });
    expect(await first.Body!.transformToString()).toBe('0123456789abcdef');
    expect(first.ContentRange).toBe('bytes 0-15/19');
    expect(first.$metadata.httpStatusCode).toBe(206);
    const tail = await s3.getObject({ Bucket: 'raw', Key: 'r.bin', Range: 'bytes=-3' });
    expect(await tail.Body!.transformToString()).toBe('XYZ');
    const open = await s3.getObject({ Bucket: 'raw', Key: 'r.bin', Range: 'bytes=16-' });
    expect(Buffer.from(await open.Body!.transformToByteArray()).toString()).toBe('XYZ');
    const past = await s3.getObject({ Bucket: 'raw', Key: 'r.bin', Range: 'bytes=10-100' });
    expect(past.ContentRange).toBe('bytes 10-18/19');
    expect((await rejection(s3.getObject({ Bucket: 'raw', Key: 'r.bin', Range: 'bytes=50-60' }))).name).toBe(
      'InvalidRange',
    );
  });

  it('keeps versions: overwrite, delete marker, read by VersionId, permanent delete promotes the previous', async () => {
    const v1 = await s3.putObject({ Bucket: 'raw', Key: 'k.txt', Body: 'one' });
    const v2 = await s3.putObject({ Bucket: 'raw', Key: 'k.txt', Body: 'two' });
    expect(v1.VersionId).not.toBe(v2.VersionId);
    expect(await (await s3.getObject({ Bucket: 'raw', Key: 'k.txt' })).Body!.transformToString()).toBe('two');
    const old = await s3.getObject({ Bucket: 'raw', Key: 'k.txt', VersionId: v1.VersionId });
    expect(await old.Body!.transformToString()).toBe('one');

    const del = await s3.deleteObject({ Bucket: 'raw', Key: 'k.txt' });
    expect(del.DeleteMarker).toBe(true);
    expect((await rejection(s3.getObject({ Bucket: 'raw', Key: 'k.txt' }))).name).toBe('NoSuchKey');
    expect((await rejection(s3.headObject({ Bucket: 'raw', Key: 'k.txt' }))).name).toBe('NotFound');
    expect(existsSync(join(tmp.dir, 's3', 'raw', 'k.txt'))).toBe(false);
    expect((await s3.listObjectsV2({ Bucket: 'raw' })).KeyCount).toBe(0);

    // removing the delete marker for good makes v2 current again
    await s3.deleteObject({ Bucket: 'raw', Key: 'k.txt', VersionId: del.VersionId });
    const back = await s3.getObject({ Bucket: 'raw', Key: 'k.txt' });
    expect(back.VersionId).toBe(v2.VersionId);
    expect(readFileSync(join(tmp.dir, 's3', 'raw', 'k.txt'), 'utf8')).toBe('two');
    expect((await rejection(s3.getObject({ Bucket: 'raw', Key: 'k.txt', VersionId: 'nope' }))).name).toBe(
      'NoSuchVersion',
    );
  });

  it('lists with Prefix, Delimiter and pagination in UTF-8 key order', async () => {
    const keys = ['t/db/a/1.csv', 't/db/a/2.csv', 't/db/b/1.csv', 't/top.csv', 'u/x', 't/db/c.csv'];
    for (const Key of keys) await s3.putObject({ Bucket: 'quiet', Key, Body: Key });
    const all = await s3.listObjectsV2({ Bucket: 'quiet' });
    expect(all.Contents?.map((c) => c.Key)).toEqual([...keys].sort());

    const dirs = await s3.listObjectsV2({ Bucket: 'quiet', Prefix: 't/db/', Delimiter: '/' });
    expect(dirs.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['t/db/a/', 't/db/b/']);
    expect(dirs.Contents?.map((c) => c.Key)).toEqual(['t/db/c.csv']);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.listObjectsV2({
        Bucket: 'quiet',
        Prefix: 't/',
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: token,
      });
      pages++;
      seen.push(
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(page.Contents ?? []).map((c) => c.Key!),
      );
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(seen).toEqual(['t/db/', 't/top.csv']);
    expect(pages).toBe(2);

    let flat: string[] = [];
    token = undefined;
    do {
      const page = await s3.listObjectsV2({ Bucket: 'quiet', MaxKeys: 4, ContinuationToken: token });
      flat = flat.concat((page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(flat).toEqual([...keys].sort());
  });

  it('stores unicode and space keys, and keys that cannot be paths, without escaping the lake', async () => {
    const odd = [
      'tables/ünïcødé dir/fïle 1.csv',
      '../../escape.txt',
      'a//b',
      'folder/',
      'x',
      'x/y',
      '日本/データ.csv',
    ];
    for (const Key of odd) await s3.putObject({ Bucket: 'quiet', Key, Body: `body of ${Key}` });
    for (const Key of odd) {
      const got = await s3.getObject({ Bucket: 'quiet', Key });
      expect(await got.Body!.transformToString()).toBe(`body of ${Key}`);
    }
    expect(existsSync(join(tmp.dir, 's3', 'quiet', 'tables', 'ünïcødé dir', 'fïle 1.csv'))).toBe(true);
    expect(existsSync(join(tmp.dir, '..', 'escape.txt'))).toBe(false);
    const listed = (await s3.listObjectsV2({ Bucket: 'quiet' })).Contents?.map((c) => c.Key);
    expect(new Set(listed)).toEqual(new Set(odd));
  });

  it('emits EventBridge-shaped events for buckets with notifications, overridable per call', async () => {
    const put = await s3.putObject({ Bucket: 'raw', Key: 'tables/db/t/f.csv', Body: 'abc' });
    await s3.putObject({ Bucket: 'quiet', Key: 'q', Body: 'q' });
    await s3.putObject({ Bucket: 'raw', Key: 'silent', Body: 's' }, { notify: false });
    await s3.putObject({ Bucket: 'quiet', Key: 'loud', Body: 'l' }, { notify: true });
    await s3.deleteObject({ Bucket: 'raw', Key: 'tables/db/t/f.csv' });
    expect(events.map((e) => [e['detail-type'], (e.detail.object as { key: string }).key])).toEqual([
      ['Object Created', 'tables/db/t/f.csv'],
      ['Object Created', 'loud'],
      ['Object Deleted', 'tables/db/t/f.csv'],
    ]);
    const created = events[0]!;
    expect(created).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      resources: ['arn:aws:s3:::raw'],
      detail: {
        bucket: { name: 'raw' },
        object: {
          key: 'tables/db/t/f.csv',
          size: 3,
          etag: put.ETag!.slice(1, -1),
          'version-id': put.VersionId,
        },
        reason: 'PutObject',
      },
    });
    const seqs = events.map((e) => (e.detail.object as { sequencer: string }).sequencer);
    expect([...seqs].sort()).toEqual(seqs);
  });

  it('object tagging replaces the tag set; missing bucket and key errors carry S3 codes', async () => {
    await s3.putObject({ Bucket: 'raw', Key: 'tagged', Body: 't', Tagging: 'a=1&b=two%20words' });
    expect((await s3.getObjectTagging({ Bucket: 'raw', Key: 'tagged' })).TagSet).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: 'two words' },
    ]);
    await s3.putObjectTagging({
      Bucket: 'raw',
      Key: 'tagged',
      Tagging: { TagSet: [{ Key: 'c', Value: '3' }] },
    });
    expect((await s3.getObjectTagging({ Bucket: 'raw', Key: 'tagged' })).TagSet).toEqual([
      { Key: 'c', Value: '3' },
    ]);
    expect((await rejection(s3.getObject({ Bucket: 'nope', Key: 'x' }))).name).toBe('NoSuchBucket');
    expect((await rejection(s3.getObject({ Bucket: 'raw', Key: 'missing' }))).name).toBe('NoSuchKey');
    expect(
      (await rejection(s3.putObjectTagging({ Bucket: 'raw', Key: 'missing', Tagging: { TagSet: [] } }))).name,
    ).toBe('NoSuchKey');
  });
});

describe('lake persistence', () => {
  it('keeps objects, versions and metadata across close and re-open', async () => {
    const tmp = tempDir();
    try {
      let lake = await openLake(tmp.dir);
      let s3 = new LocalS3(lake);
      await s3.createBucket('bkt');
      const v1 = await s3.putObject({
        Bucket: 'bkt',
        Key: 'p/q.json',
        Body: '{"v":1}',
        ContentType: 'application/json',
      });
      await s3.putObject({ Bucket: 'bkt', Key: 'p/q.json', Body: '{"v":2}' });
      await lake.close();

      lake = await openLake(tmp.dir);
      s3 = new LocalS3(lake);
      expect(await (await s3.getObject({ Bucket: 'bkt', Key: 'p/q.json' })).Body!.transformToString()).toBe(
        '{"v":2}',
      );
      const old = await s3.getObject({ Bucket: 'bkt', Key: 'p/q.json', VersionId: v1.VersionId });
      expect(old.ContentType).toBe('application/json');
      expect(await old.Body!.transformToString()).toBe('{"v":1}');
      await lake.close();
    } finally {
      tmp.cleanup();
    }
  });

  it('rolls back every statement of a failed write', async () => {
    const tmp = tempDir();
    const lake = await openLake(tmp.dir);
    try {
      await expect(
        lake.write(async (db) => {
          await db.run("INSERT INTO counters VALUES ('x', 1)");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await lake.read((db) => db.all("SELECT * FROM counters WHERE name = 'x'"))).toEqual([]);
    } finally {
      await lake.close();
      tmp.cleanup();
    }
  });
});
