// S3Port on the local lake. Every bucket behaves as versioning-enabled (each put gets a VersionId;
// a delete without VersionId adds a delete marker), like autogov's raw bucket. The current version
// of each key is mirrored at `<lake>/s3/<bucket>/<key>`; older versions and keys that cannot be a
// path (`..`, `a//b`, trailing `/`, or a file/folder clash) live under `<lake>/.versions/`.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import type * as s3 from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { MULTIPART } from '../aws/s3-copy';
import { awsCodeError, awsError, inputParser } from './errors';
import { type Db, json, Lake, num, type Row, str } from './store';

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';

/** An event as EventBridge delivers it to targets. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EventListener = (event: EventBridgeEvent) => Promise<void> | void;

/** Extra, local-only knobs a caller may pass as the second argument. */
export interface LocalS3CallOptions {
  /** Emit the EventBridge event for this call (default: the bucket's setting). */
  notify?: boolean;
}

interface ObjectRow {
  bucket: string;
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  tags: s3.Tag[];
  lastModified: Date;
  path: string;
  seq: number;
}

const toObjectRow = (r: Row): ObjectRow => ({
  bucket: str(r.bucket),
  key: str(r.key),
  versionId: str(r.version_id),
  isLatest: Boolean(r.is_latest),
  isDeleteMarker: Boolean(r.is_delete_marker),
  size: num(r.size),
  etag: str(r.etag),
  contentType: str(r.content_type),
  metadata: json<Record<string, string>>(r.metadata, {}),
  tags: json<s3.Tag[]>(r.tags, []),
  lastModified: new Date(num(r.last_modified_ms)),
  path: str(r.path),
  seq: num(r.seq),
});

const bucketKey = z.object({ Bucket: z.string().min(1), Key: z.string().min(1) });
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'bucket names are 3-63 lower-case letters, digits, . and -');

const invalid = (message: string) => awsCodeError('InvalidArgument', message);

/** zod at the boundary; failures look like S3's InvalidArgument. */
const parse = inputParser(invalid);

async function bodyBytes(body: s3.PutObjectCommandInput['Body']): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  throw invalid('Body: unsupported type (use string, Uint8Array, Buffer, Readable or Blob)');
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined when not a single byte range (S3 then ignores it). */
function parseRange(
  range: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

const newVersionId = () => randomBytes(24).toString('base64url');

const parseTagging = (tagging: string): s3.Tag[] =>
  [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value }));

function checkTags(tags: s3.Tag[]): s3.Tag[] {
  if (tags.length > 10) throw awsCodeError('BadRequest', 'Object tags cannot be greater than 10');
  const keys = new Set<string>();
  for (const t of tags) {
    if (!t.Key) throw awsCodeError('InvalidTag', 'The TagKey you have provided is invalid');
    if (keys.has(t.Key)) {
      throw awsCodeError('InvalidTag', 'Cannot provide multiple Tags with the same key');
    }
    keys.add(t.Key);
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

interface MultipartUpload {
  bucket: string;
  key: string;
  contentType: string | undefined;
  metadata: Record<string, string> | undefined;
  parts: Map<number, { path: string; size: number; etag: string }>;
}

/** S3's CopyObject limit: "copy of your object up to 5 GB in size in a single atomic action". */
const MAX_COPY_OBJECT_BYTES = 5 * 1024 ** 3;

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

async function* concatFiles(paths: string[]): AsyncGenerator<Uint8Array> {
  for (const p of paths) yield* createReadStream(p);
}

export class LocalS3 implements S3Port {
  private readonly knownBuckets = new Set<string>();
  private listener: EventListener | undefined;
  private readonly uploads = new Map<string, MultipartUpload>();

  constructor(
    private readonly lake: Lake,
    opts: { onEvent?: EventListener } = {},
  ) {
    this.listener = opts.onEvent;
  }

  /**
   * Local-only, for a lost catalog: every file mirrored under `<lake>/s3/<bucket>/` becomes the current
   * version of its key again (new version id, no event). Older versions' keys were only in the catalog.
   */
  async adoptStoredObjects(): Promise<number> {
    const root = join(this.lake.root, 's3');
    let adopted = 0;
    for (const bucket of await readdir(root)) {
      // The stack's buckets exist already with their event settings; any other comes back without events.
      const known = await this.lake.read((db) =>
        db.all('SELECT 1 FROM s3_buckets WHERE name = $1', [bucket]),
      );
      if (!known.length) await this.createBucket(bucket, { eventBridge: false });
      const files = (await readdir(join(root, bucket), { recursive: true, withFileTypes: true })).filter(
        (e) => e.isFile(),
      );
      for (const f of files) {
        const path = join(f.parentPath, f.name);
        const key = relative(join(root, bucket), path).split(sep).join('/');
        const md5 = await md5Of(path);
        const info = await stat(path);
        await this.lake.write(async (db) => {
          const seq = await this.lakeSeq(db);
          await db.run(
            "INSERT INTO s3_objects VALUES ($1,$2,$3,true,false,$4,$5,'binary/octet-stream','{}','[]',$6,$7,$8)",
            [
              bucket,
              key,
              newVersionId(),
              info.size,
              `"${md5}"`,
              Math.floor(info.mtimeMs),
              this.lake.rel(path),
              seq,
            ],
          );
        });
        adopted++;
      }
    }
    return adopted;
  }

  /** Where S3 events go (the local EventBridge). */
  setEventListener(listener: EventListener | undefined): void {
    this.listener = listener;
  }

  /** Local-only: creates the bucket if missing; `eventBridge` mirrors the bucket's notification setting. */
  async createBucket(name: string, opts: { eventBridge?: boolean } = {}): Promise<void> {
    parse(bucketName, name);
    await this.lake.write(async (db) => {
      const rows = await db.all('SELECT 1 FROM s3_buckets WHERE name = $1', [name]);
      if (rows.length) {
        await db.run('UPDATE s3_buckets SET eventbridge = $1 WHERE name = $2', [!!opts.eventBridge, name]);
      } else {
        await db.run('INSERT INTO s3_buckets VALUES ($1, $2, $3)', [name, !!opts.eventBridge, Date.now()]);
      }
    });
  }

  async getObject(input: s3.GetObjectCommandInput): Promise<s3.GetObjectCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    const row = await this.lake.read(async (db) => {
      await this.assertBucket(db, Bucket);
      return this.findVersion(db, Bucket, Key, input.VersionId);
    });
    if (!row) throw awsError<typeof s3>('NoSuchKey', 'The specified key does not exist.');
    let bytes: Uint8Array;
    let status = 200;
    let contentRange: string | undefined;
    const range = input.Range ? parseRange(input.Range, row.size) : undefined;
    if (range === 'unsatisfiable') {
      throw awsCodeError('InvalidRange', 'The requested range is not satisfiable');
    }
    if (range) {
      bytes = await readSlice(this.lake.abs(row.path), range.start, range.end - range.start + 1);
      status = 206;
      contentRange = `bytes ${range.start}-${range.end}/${row.size}`;
    } else {
      bytes = await readFile(this.lake.abs(row.path));
    }
    return {
      $metadata: { httpStatusCode: status },
      Body: sdkStreamMixin(Readable.from([Buffer.from(bytes)])),
      ContentLength: bytes.byteLength,
      ContentRange: contentRange,
      AcceptRanges: 'bytes',
      ContentType: row.contentType,
      ETag: row.etag,
      VersionId: row.versionId,
      LastModified: row.lastModified,
      Metadata: row.metadata,
      TagCount: row.tags.length || undefined,
    };
  }

  /** Where the lake keeps an object's bytes, so local engines (DuckDB) read it in place. */
  async localPath(bucket: string, key: string, versionId?: string): Promise<string> {
    const row = await this.lake.read(async (db) => {
      await this.assertBucket(db, bucket);
      return this.findVersion(db, bucket, key, versionId);
    });
    if (!row) throw awsError<typeof s3>('NoSuchKey', 'The specified key does not exist.');
    return this.lake.abs(row.path);
  }

  async headObject(input: s3.HeadObjectCommandInput): Promise<s3.HeadObjectCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    const row = await this.lake.read(async (db) => {
      await this.assertBucket(db, Bucket);
      return this.findVersion(db, Bucket, Key, input.VersionId);
    });
    // HEAD has no body, so the SDK can only report the status: 404 → NotFound.
    if (!row) throw awsError<typeof s3>('NotFound', 'Not Found');
    return {
      $metadata: { httpStatusCode: 200 },
      ContentLength: row.size,
      ContentType: row.contentType,
      ETag: row.etag,
      VersionId: row.versionId,
      LastModified: row.lastModified,
      Metadata: row.metadata,
      AcceptRanges: 'bytes',
    };
  }

  async putObject(
    input: s3.PutObjectCommandInput,
    opts: LocalS3CallOptions = {},
  ): Promise<s3.PutObjectCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    const bytes = await bodyBytes(input.Body);
    const tags = input.Tagging ? checkTags(parseTagging(input.Tagging)) : [];
    const tmp = await this.lake.writeTemp(bytes);
    const stored = await this.store(tmp, {
      bucket: Bucket,
      key: Key,
      size: bytes.byteLength,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      contentType: input.ContentType,
      metadata: input.Metadata,
      tags,
      reason: 'PutObject',
      notify: opts.notify,
    });
    return { $metadata: { httpStatusCode: 200 }, ...stored };
  }

  /** Makes the temp file `tmp` the new current version of a key (consuming it) and emits its event. */
  private async store(
    tmp: string,
    o: {
      bucket: string;
      key: string;
      size: number;
      etag: string;
      contentType: string | undefined;
      metadata: Record<string, string> | undefined;
      tags: s3.Tag[];
      reason: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload';
      notify: boolean | undefined;
    },
  ): Promise<{ ETag: string; VersionId: string }> {
    const metadata = Object.fromEntries(
      Object.entries(o.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const versionId = newVersionId();
    let notify = false;
    let seq = 0;
    try {
      await this.lake.write(async (db) => {
        notify = await this.requireBucket(db, o.bucket);
        await this.retireLatest(db, o.bucket, o.key);
        const path = await this.placeCurrent(tmp, o.bucket, o.key, versionId);
        seq = await this.lakeSeq(db);
        await db.run('UPDATE s3_objects SET is_latest = false WHERE bucket = $1 AND key = $2', [
          o.bucket,
          o.key,
        ]);
        await db.run('INSERT INTO s3_objects VALUES ($1,$2,$3,true,false,$4,$5,$6,$7,$8,$9,$10,$11)', [
          o.bucket,
          o.key,
          versionId,
          o.size,
          o.etag,
          o.contentType ?? 'binary/octet-stream',
          JSON.stringify(metadata),
          JSON.stringify(o.tags),
          Date.now(),
          this.lake.rel(path),
          seq,
        ]);
      });
    } finally {
      await this.lake.discard(tmp);
    }
    if (o.notify ?? notify) {
      await this.emit('Object Created', o.bucket, {
        object: {
          key: o.key,
          size: o.size,
          etag: o.etag.slice(1, -1),
          'version-id': versionId,
          sequencer: seqHex(seq),
        },
        reason: o.reason,
      });
    }
    return { ETag: o.etag, VersionId: versionId };
  }

  async deleteObject(
    input: s3.DeleteObjectCommandInput,
    opts: LocalS3CallOptions = {},
  ): Promise<s3.DeleteObjectCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    let notify = false;
    let seq = 0;
    let result: { versionId: string; deleteMarker: boolean } | undefined;
    await this.lake.write(async (db) => {
      notify = await this.requireBucket(db, Bucket);
      seq = await this.lakeSeq(db);
      if (input.VersionId === undefined) {
        // Versioned bucket: a delete adds a delete marker; the mirrored file leaves the s3/ folder.
        await this.retireLatest(db, Bucket, Key);
        const versionId = newVersionId();
        await db.run('UPDATE s3_objects SET is_latest = false WHERE bucket = $1 AND key = $2', [Bucket, Key]);
        await db.run("INSERT INTO s3_objects VALUES ($1,$2,$3,true,true,0,'','','{}','[]',$4,'',$5)", [
          Bucket,
          Key,
          versionId,
          Date.now(),
          seq,
        ]);
        result = { versionId, deleteMarker: true };
        return;
      }
      // Permanent delete of one version; deleting a missing version succeeds, as in S3.
      const rows = await db.all(
        'SELECT * FROM s3_objects WHERE bucket = $1 AND key = $2 AND version_id = $3',
        [Bucket, Key, input.VersionId],
      );
      if (!rows.length) {
        result = { versionId: input.VersionId, deleteMarker: false };
        return;
      }
      const row = toObjectRow(rows[0]!);
      await db.run('DELETE FROM s3_objects WHERE bucket = $1 AND key = $2 AND version_id = $3', [
        Bucket,
        Key,
        input.VersionId,
      ]);
      if (row.path) await this.lake.discard(this.lake.abs(row.path));
      if (row.isLatest) await this.promoteNewest(db, Bucket, Key);
      result = { versionId: row.versionId, deleteMarker: row.isDeleteMarker };
    });
    const r = result!;
    if (opts.notify ?? notify) {
      await this.emit('Object Deleted', Bucket, {
        object: { key: Key, 'version-id': r.versionId, sequencer: seqHex(seq) },
        reason: 'DeleteObject',
        'deletion-type': input.VersionId === undefined ? 'Delete Marker Created' : 'Permanently Deleted',
      });
    }
    return {
      $metadata: { httpStatusCode: 204 },
      VersionId: r.versionId,
      DeleteMarker: r.deleteMarker || undefined,
    };
  }

  /**
   * Server-side copy of one version (`CopySource: bucket/key[?versionId=…]`, key URL-encoded), with
   * metadata and content type carried over (MetadataDirective COPY, the default) or taken from the
   * request (REPLACE), CopySourceIfMatch honoured (412 PreconditionFailed when the source's ETag
   * differs) and sources over 5 GB refused, as S3 does (larger ones need UploadPartCopy).
   */
  async copyObject(input: s3.CopyObjectCommandInput): Promise<s3.CopyObjectCommandOutput> {
    const { Bucket, Key, CopySource } = parse(bucketKey.extend({ CopySource: z.string().min(1) }), input);
    const source = await this.copySource(CopySource, input.CopySourceIfMatch);
    if (source.size > MAX_COPY_OBJECT_BYTES)
      throw awsCodeError(
        'InvalidRequest',
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_OBJECT_BYTES}`,
      );
    const replace = parse(z.enum(['COPY', 'REPLACE']).default('COPY'), input.MetadataDirective) === 'REPLACE';
    const tmp = await this.lake.copyToTemp(this.lake.abs(source.path), 0, source.size);
    const put = await this.store(tmp, {
      bucket: Bucket,
      key: Key,
      size: source.size,
      // A copy is one part: its ETag is the MD5 of its bytes, whatever the source's was.
      etag: source.etag.includes('-') ? `"${await md5Of(this.lake.abs(source.path))}"` : source.etag,
      contentType: replace ? input.ContentType : source.contentType,
      metadata: replace ? input.Metadata : source.metadata,
      tags: source.tags,
      reason: 'CopyObject',
      notify: undefined,
    });
    return {
      $metadata: { httpStatusCode: 200 },
      CopyObjectResult: { ETag: put.ETag, LastModified: new Date() },
      VersionId: put.VersionId,
      CopySourceVersionId: source.versionId,
    };
  }

  /** The live version a `CopySource` names, checked against `ifMatch` (S3's 412 when it differs). */
  private async copySource(copySource: string, ifMatch: string | undefined): Promise<ObjectRow> {
    const m = /^\/?([^/?]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(copySource);
    if (!m) throw invalid('CopySource: use bucket/key or bucket/key?versionId=ID');
    const [srcBucket, srcKey, srcVersion] = [
      m[1]!,
      decodeURIComponent(m[2]!),
      m[3] && decodeURIComponent(m[3]),
    ];
    const source = await this.lake.read(async (db) => {
      await this.assertBucket(db, srcBucket);
      return this.findVersion(db, srcBucket, srcKey, srcVersion || undefined);
    });
    if (!source) throw awsError<typeof s3>('NoSuchKey', 'The specified key does not exist.');
    if (ifMatch !== undefined && ifMatch !== source.etag)
      throw awsCodeError(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      );
    return source;
  }

  /**
   * Multipart uploads, as far as a multipart copy needs them: parts are byte ranges of existing
   * objects (UploadPartCopy) kept as temp files until CompleteMultipartUpload assembles them, whose
   * ETag is S3's `md5(part MD5s)-N`. Parts other than the last must be at least 5 MiB, a part at most
   * 5 GiB, part numbers 1–10,000 (S3's limits). Uploads in progress live in this process only.
   */
  async createMultipartUpload(
    input: s3.CreateMultipartUploadCommandInput,
  ): Promise<s3.CreateMultipartUploadCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    await this.lake.read((db) => this.assertBucket(db, Bucket));
    const UploadId = randomBytes(24).toString('base64url');
    this.uploads.set(UploadId, {
      bucket: Bucket,
      key: Key,
      contentType: input.ContentType,
      metadata: input.Metadata,
      parts: new Map(),
    });
    return { $metadata: { httpStatusCode: 200 }, Bucket, Key, UploadId };
  }

  async uploadPartCopy(input: s3.UploadPartCopyCommandInput): Promise<s3.UploadPartCopyCommandOutput> {
    const { CopySource, PartNumber } = parse(
      bucketKey.extend({
        CopySource: z.string().min(1),
        PartNumber: z.number().int().min(1).max(MULTIPART.maxParts),
      }),
      input,
    );
    const upload = this.upload(input);
    const source = await this.copySource(CopySource, input.CopySourceIfMatch);
    let [first, last] = [0, source.size - 1];
    if (input.CopySourceRange !== undefined) {
      const m = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange);
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) >= source.size)
        throw awsCodeError(
          'InvalidArgument',
          'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        );
      [first, last] = [Number(m[1]), Number(m[2])];
    }
    const size = last - first + 1;
    if (size > MULTIPART.maxPartBytes)
      throw awsCodeError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    const path = await this.lake.copyToTemp(this.lake.abs(source.path), first, size);
    const etag = `"${await md5Of(path)}"`;
    const replaced = upload.parts.get(PartNumber);
    upload.parts.set(PartNumber, { path, size, etag });
    if (replaced) await this.lake.discard(replaced.path);
    return {
      $metadata: { httpStatusCode: 200 },
      CopyPartResult: { ETag: etag, LastModified: new Date() },
      CopySourceVersionId: source.versionId,
    };
  }

  async completeMultipartUpload(
    input: s3.CompleteMultipartUploadCommandInput,
  ): Promise<s3.CompleteMultipartUploadCommandOutput> {
    const upload = this.upload(input);
    const listed = parse(
      z.array(z.object({ PartNumber: z.number().int(), ETag: z.string() })).min(1),
      input.MultipartUpload?.Parts,
    );
    const parts = listed.map((p, i) => {
      if (i > 0 && p.PartNumber <= listed[i - 1]!.PartNumber)
        throw awsCodeError('InvalidPartOrder', 'The list of parts was not in ascending order');
      const part = upload.parts.get(p.PartNumber);
      if (!part || part.etag.replaceAll('"', '') !== p.ETag.replaceAll('"', ''))
        throw awsCodeError('InvalidPart', 'One or more of the specified parts could not be found');
      return part;
    });
    if (parts.slice(0, -1).some((p) => p.size < MULTIPART.minPartBytes))
      throw awsCodeError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size',
      );
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.replaceAll('"', ''), 'hex')));
    const tmp = await this.lake.writeTemp(concatFiles(parts.map((p) => p.path)));
    const stored = await this.store(tmp, {
      bucket: upload.bucket,
      key: upload.key,
      size: parts.reduce((n, p) => n + p.size, 0),
      etag: `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`,
      contentType: upload.contentType,
      metadata: upload.metadata,
      tags: [],
      reason: 'CompleteMultipartUpload',
      notify: undefined,
    });
    await this.dropUpload(input.UploadId!);
    return {
      $metadata: { httpStatusCode: 200 },
      Bucket: upload.bucket,
      Key: upload.key,
      ...stored,
    };
  }

  async abortMultipartUpload(
    input: s3.AbortMultipartUploadCommandInput,
  ): Promise<s3.AbortMultipartUploadCommandOutput> {
    this.upload(input);
    await this.dropUpload(input.UploadId!);
    return { $metadata: { httpStatusCode: 204 } };
  }

  private upload(input: { Bucket?: string; Key?: string; UploadId?: string }): MultipartUpload {
    const { Bucket, Key, UploadId } = parse(bucketKey.extend({ UploadId: z.string().min(1) }), input);
    const upload = this.uploads.get(UploadId);
    if (!upload || upload.bucket !== Bucket || upload.key !== Key)
      throw awsCodeError(
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );
    return upload;
  }

  private async dropUpload(uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    this.uploads.delete(uploadId);
    for (const p of upload?.parts.values() ?? []) await this.lake.discard(p.path);
  }

  async listObjectsV2(input: s3.ListObjectsV2CommandInput): Promise<s3.ListObjectsV2CommandOutput> {
    const Bucket = parse(z.string().min(1), input.Bucket);
    const prefix = input.Prefix ?? '';
    const delimiter = input.Delimiter || undefined;
    const maxKeys = Math.min(Math.max(input.MaxKeys ?? 1000, 0), 1000);
    const rows = await this.lake.read(async (db) => {
      await this.assertBucket(db, Bucket);
      return (
        await db.all(
          'SELECT * FROM s3_objects WHERE bucket = $1 AND is_latest AND NOT is_delete_marker AND starts_with(key, $2)',
          [Bucket, prefix],
        )
      ).map(toObjectRow);
    });
    rows.sort((a, b) => compareKeys(a.key, b.key));
    type Entry = { value: string; row?: ObjectRow };
    const entries: Entry[] = [];
    for (const row of rows) {
      if (input.StartAfter && compareKeys(row.key, input.StartAfter) <= 0) continue;
      const idx = delimiter ? row.key.indexOf(delimiter, prefix.length) : -1;
      if (delimiter && idx >= 0) {
        const cp = row.key.slice(0, idx + delimiter.length);
        if (entries.at(-1)?.value !== cp) entries.push({ value: cp });
      } else {
        entries.push({ value: row.key, row });
      }
    }
    let start = 0;
    if (input.ContinuationToken) {
      const after = decodeToken(input.ContinuationToken);
      start = entries.findIndex((e) => compareKeys(e.value, after) > 0);
      if (start < 0) start = entries.length;
    }
    const page = entries.slice(start, start + maxKeys);
    const truncated = start + maxKeys < entries.length;
    return {
      $metadata: { httpStatusCode: 200 },
      Name: Bucket,
      Prefix: input.Prefix,
      Delimiter: input.Delimiter,
      StartAfter: input.StartAfter,
      MaxKeys: maxKeys,
      KeyCount: page.length,
      IsTruncated: truncated,
      ContinuationToken: input.ContinuationToken,
      NextContinuationToken: truncated ? encodeToken(page.at(-1)!.value) : undefined,
      Contents: page
        .filter((e) => e.row)
        .map(({ row }) => ({
          Key: row!.key,
          Size: row!.size,
          ETag: row!.etag,
          LastModified: row!.lastModified,
          StorageClass: 'STANDARD',
        })),
      CommonPrefixes: delimiter ? page.filter((e) => !e.row).map((e) => ({ Prefix: e.value })) : undefined,
    };
  }

  async getObjectTagging(input: s3.GetObjectTaggingCommandInput): Promise<s3.GetObjectTaggingCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    const row = await this.lake.read(async (db) => {
      await this.assertBucket(db, Bucket);
      return this.findVersion(db, Bucket, Key, input.VersionId);
    });
    if (!row) throw awsError<typeof s3>('NoSuchKey', 'The specified key does not exist.');
    return { $metadata: { httpStatusCode: 200 }, VersionId: row.versionId, TagSet: row.tags };
  }

  async putObjectTagging(input: s3.PutObjectTaggingCommandInput): Promise<s3.PutObjectTaggingCommandOutput> {
    const { Bucket, Key } = parse(bucketKey, input);
    const tags = checkTags(input.Tagging?.TagSet ?? []);
    const versionId = await this.lake.write(async (db) => {
      await this.assertBucket(db, Bucket);
      const row = await this.findVersion(db, Bucket, Key, input.VersionId);
      if (!row) throw awsError<typeof s3>('NoSuchKey', 'The specified key does not exist.');
      await db.run('UPDATE s3_objects SET tags = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4', [
        JSON.stringify(tags),
        Bucket,
        Key,
        row.versionId,
      ]);
      return row.versionId;
    });
    return { $metadata: { httpStatusCode: 200 }, VersionId: versionId };
  }

  /**
   * NoSuchBucket unless the bucket exists. Buckets are never deleted here, so one found stays found:
   * a read command asks once per bucket, not once per call.
   */
  private async assertBucket(db: Db, bucket: string): Promise<void> {
    if (this.knownBuckets.has(bucket)) return;
    await this.requireBucket(db, bucket);
    this.knownBuckets.add(bucket);
  }

  /** Returns whether the bucket sends EventBridge events. */
  private async requireBucket(db: Db, bucket: string): Promise<boolean> {
    const rows = await db.all('SELECT eventbridge FROM s3_buckets WHERE name = $1', [bucket]);
    if (!rows.length)
      throw awsError<typeof s3>('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    return Boolean(rows[0]!.eventbridge);
  }

  /** A live version: the given one (NoSuchVersion if absent) or the latest unless it is a delete marker. */
  private async findVersion(
    db: Db,
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<ObjectRow | undefined> {
    if (versionId !== undefined) {
      const rows = await db.all(
        'SELECT * FROM s3_objects WHERE bucket = $1 AND key = $2 AND version_id = $3',
        [bucket, key, versionId],
      );
      if (!rows.length) throw awsCodeError('NoSuchVersion', 'The specified version does not exist.');
      const row = toObjectRow(rows[0]!);
      if (row.isDeleteMarker) {
        throw awsCodeError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
      return row;
    }
    const rows = await db.all('SELECT * FROM s3_objects WHERE bucket = $1 AND key = $2 AND is_latest', [
      bucket,
      key,
    ]);
    const row = rows.length ? toObjectRow(rows[0]!) : undefined;
    return row && !row.isDeleteMarker ? row : undefined;
  }

  /** Moves the current version's mirrored bytes aside so the mirror path can take new bytes. */
  private async retireLatest(db: Db, bucket: string, key: string): Promise<void> {
    const rows = await db.all('SELECT * FROM s3_objects WHERE bucket = $1 AND key = $2 AND is_latest', [
      bucket,
      key,
    ]);
    if (!rows.length) return;
    const row = toObjectRow(rows[0]!);
    if (row.isDeleteMarker || !row.path) return;
    const mirror = this.lake.mirrorPath(bucket, key);
    if (!mirror || this.lake.abs(row.path) !== mirror) return;
    const blob = this.lake.blobPath(bucket, row.versionId);
    await this.lake.place(mirror, blob);
    await db.run('UPDATE s3_objects SET path = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4', [
      this.lake.rel(blob),
      bucket,
      key,
      row.versionId,
    ]);
  }

  /** After the latest version is deleted for good, the newest remaining one becomes current again. */
  private async promoteNewest(db: Db, bucket: string, key: string): Promise<void> {
    const rows = await db.all(
      'SELECT * FROM s3_objects WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1',
      [bucket, key],
    );
    if (!rows.length) return;
    const row = toObjectRow(rows[0]!);
    let path = row.path;
    if (!row.isDeleteMarker && row.path) {
      const mirror = this.lake.mirrorPath(bucket, key);
      if (mirror) {
        try {
          await this.lake.place(this.lake.abs(row.path), mirror);
          path = this.lake.rel(mirror);
        } catch {
          // a file/folder clash: the bytes stay in .versions
        }
      }
    }
    await db.run(
      'UPDATE s3_objects SET is_latest = true, path = $1 WHERE bucket = $2 AND key = $3 AND version_id = $4',
      [path, bucket, key, row.versionId],
    );
  }

  /** Moves the temp file to the key's mirror path, or to a blob when the key cannot be a path. */
  private async placeCurrent(tmp: string, bucket: string, key: string, versionId: string): Promise<string> {
    const mirror = this.lake.mirrorPath(bucket, key);
    if (mirror) {
      try {
        await this.lake.place(tmp, mirror);
        return mirror;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // `a` is a file and `a/b` is put (or the reverse): S3 allows it, a filesystem does not.
        if (code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EEXIST' && code !== 'ENAMETOOLONG')
          throw err;
      }
    }
    const blob = this.lake.blobPath(bucket, versionId);
    await this.lake.place(tmp, blob);
    return blob;
  }

  private lakeSeq(db: Db): Promise<number> {
    return Lake.nextCounter(db, 's3_sequencer');
  }

  private async emit(detailType: string, bucket: string, detail: Record<string, unknown>): Promise<void> {
    if (!this.listener) return;
    await this.listener({
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.s3',
      account: LOCAL_ACCOUNT,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        ...detail,
        'request-id': randomBytes(8).toString('hex').toUpperCase(),
        requester: LOCAL_ACCOUNT,
      },
    });
  }
}

const seqHex = (seq: number) => seq.toString(16).toUpperCase().padStart(18, '0');

const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');

function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // fall through
  }
  throw invalid('The continuation token provided is incorrect');
}

async function readSlice(path: string, position: number, length: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
