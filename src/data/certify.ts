// Certified before served: uploads are staged under the raw table folder, a governance run evaluates
// the staged files and records exactly which ones (this manifest), and only once that run's tags are
// applied are those files copied to the table's certified location, which is what the catalog points
// to. A run that fails at any step before promotion leaves the certified files as they were.
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
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
 * Makes the certified location hold exactly the manifest's files: each evaluated version is copied
 * (only if its bytes are still the ones evaluated: CopySourceIfMatch), certified files the run did not
 * evaluate are removed. Idempotent: a file already certified with the same ETag is not copied again.
 * A table read in place (staged = certified, the ingestion's document tables) has nothing to promote.
 */
export async function promote(s3: S3Port, manifest: Manifest): Promise<Promotion> {
  const result: Promotion = { copied: 0, unchanged: 0, removed: 0 };
  if (manifest.staged === manifest.certified) return result;
  const staged = parseS3Uri(manifest.staged);
  const certified = parseS3Uri(manifest.certified);
  const current = new Map((await listTableObjects(s3, certified)).map((o) => [o.name, o]));
  for (const f of manifest.files) {
    if (current.get(f.name)?.etag === f.etag) {
      result.unchanged++;
      continue;
    }
    const source = `${staged.bucket}/${encodeURIComponent(`${staged.key}${f.name}`).replace(/%2F/g, '/')}`;
    await s3.copyObject({
      Bucket: certified.bucket,
      Key: `${certified.key}${f.name}`,
      CopySource: f.versionId ? `${source}?versionId=${encodeURIComponent(f.versionId)}` : source,
      CopySourceIfMatch: f.etag,
    });
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
  const served = new Map((await listTableObjects(s3, certified)).map((o) => [o.name, o.etag]));
  let changes = 0;
  for (const o of await listTableObjects(s3, staged)) {
    if (served.get(o.name) !== o.etag) changes++;
    served.delete(o.name);
  }
  return changes + served.size;
}
