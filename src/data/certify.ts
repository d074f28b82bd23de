// Certified before served: uploads are staged under the raw table folder, a governance run evaluates
// the staged files and records exactly which ones (this manifest), and only once that run's tags are
// applied are those files copied to the table's certified location, which is what the catalog points
// to. A run that fails at any step before promotion leaves the certified files as they were.
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { type CopyLimits, copyObjectOfAnySize, S3_COPY_LIMITS } from '../aws/s3-copy';
import { parseS3Uri, type S3Location, s3Uri } from '../aws/s3-json';
import { listTableObjects, type TableObject } from './table-objects';

export const manifestSchema = z.object({
  version: z.literal(1),
  database: z.string(),
  table: z.string(),
  runId: z.string(),
  /** the staged table folder the run read */
  staged: z.string().startsWith('s3://'),
  /** the table's catalog location, where promotion copies them */
  certified: z.string().startsWith('s3://'),
  /** every data file the run evaluated, with the ETag of the bytes it read */
  files: z.array(
    z.object({
      name: z.string().min(1),
      etag: z.string(),
      versionId: z.string().optional(),
      size: z.number(),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function manifestOf(
  run: { database: string; table: string; runId: string },
  staged: S3Location,
  certified: S3Location,
  files: (TableObject & { versionId?: string })[],
): Manifest {
  return {
    version: 1,
    ...run,
    staged: s3Uri(staged),
    certified: s3Uri(certified),
    files: files.map(({ name, etag, versionId, size }) => ({ name, etag, versionId, size })),
  };
}

export interface Promotion {
  copied: number;
  unchanged: number;
  removed: number;
}

/**
 * User metadata on a certified copy: the ETag of the staged bytes it was copied from. A copy's own ETag
 * equals its source's only when neither is multipart (a multipart ETag is not the bytes' MD5), so this
 * is what says a certified file still holds the evaluated bytes.
 */
export const SOURCE_ETAG_METADATA = 'autogov-source-etag';

/** Whether a certified object holds the staged bytes with ETag `etag` (a HEAD only when the ETags differ). */
async function certifiedFrom(s3: S3Port, bucket: string, certified: TableObject, etag: string) {
  if (certified.etag === etag) return true;
  const head = await s3.headObject({ Bucket: bucket, Key: certified.key });
  return head.Metadata?.[SOURCE_ETAG_METADATA] === etag;
}

/**
 * Makes the certified location hold exactly the manifest's files: each evaluated version is copied
 * (only if its bytes are still the ones evaluated: CopySourceIfMatch), certified files the run did not
 * evaluate are removed. Every staged file to copy is checked first, so a file changed or gone since the
 * run evaluated it refuses the whole promotion before anything is copied. Idempotent: a file already
 * certified from the same bytes is not copied again. Over `limits.maxCopyObjectBytes` a file is copied
 * in parts (src/aws/s3-copy.ts). A table read in place (staged = certified, the ingestion's document
 * tables) has nothing to promote.
 */
export async function promote(
  s3: S3Port,
  manifest: Manifest,
  limits: CopyLimits = S3_COPY_LIMITS,
): Promise<Promotion> {
  const result: Promotion = { copied: 0, unchanged: 0, removed: 0 };
  if (manifest.staged === manifest.certified) return result;
  const staged = parseS3Uri(manifest.staged);
  const certified = parseS3Uri(manifest.certified);
  const current = new Map((await listTableObjects(s3, certified)).map((o) => [o.name, o]));
  const pending: Manifest['files'] = [];
  for (const f of manifest.files) {
    const served = current.get(f.name);
    if (served && (await certifiedFrom(s3, certified.bucket, served, f.etag))) result.unchanged++;
    else pending.push(f);
  }
  const sources = [];
  for (const f of pending) sources.push({ file: f, head: await evaluatedSource(s3, staged, f, manifest) });
  for (const { file: f, head } of sources) {
    await copyObjectOfAnySize(
      s3,
      {
        bucket: staged.bucket,
        key: `${staged.key}${f.name}`,
        versionId: f.versionId,
        etag: f.etag,
        size: f.size,
      },
      {
        bucket: certified.bucket,
        key: `${certified.key}${f.name}`,
        contentType: head.ContentType,
        metadata: { ...head.Metadata, [SOURCE_ETAG_METADATA]: f.etag },
      },
      limits,
    );
    result.copied++;
  }
  const evaluated = new Set(manifest.files.map((f) => f.name));
  for (const name of current.keys())
    if (!evaluated.has(name)) {
      await s3.deleteObject({ Bucket: certified.bucket, Key: `${certified.key}${name}` });
      result.removed++;
    }
  return result;
}

/** The staged version a run evaluated, as S3 has it now; refuses (naming the file, no content) if it changed or is gone. */
async function evaluatedSource(s3: S3Port, staged: S3Location, f: Manifest['files'][number], m: Manifest) {
  const refuse = (why: string) =>
    new Error(
      `${staged.key}${f.name}: ${why} since run ${m.runId} evaluated it; nothing promoted — re-run governance of ${m.database}.${m.table}`,
    );
  const head = await s3
    .headObject({ Bucket: staged.bucket, Key: `${staged.key}${f.name}`, VersionId: f.versionId })
    .catch((err: { name?: string }) => {
      if (['NotFound', 'NoSuchKey', 'NoSuchVersion'].includes(err.name ?? '')) return undefined;
      throw err;
    });
  if (!head) throw refuse('the staged file is gone');
  if (head.ETag !== f.etag) throw refuse('the staged file changed');
  return head;
}

/**
 * How far the certified files are behind the staged ones: staged files not certified as they are
 * (new or changed since the last successful run) plus certified files no longer staged. 0 when the
 * last successful run evaluated exactly what is staged.
 */
export async function uncertifiedChanges(
  s3: S3Port,
  staged: S3Location,
  certified: S3Location,
): Promise<number> {
  const served = new Map((await listTableObjects(s3, certified)).map((o) => [o.name, o]));
  let changes = 0;
  for (const o of await listTableObjects(s3, staged)) {
    const copy = served.get(o.name);
    if (!copy || !(await certifiedFrom(s3, certified.bucket, copy, o.etag))) changes++;
    served.delete(o.name);
  }
  return changes + served.size;
}
