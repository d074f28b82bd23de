// Server-side copy of one object version, of any size. One CopyObject copies at most 5 GB; a larger
// object is copied as a multipart upload whose parts are UploadPartCopy byte ranges of the source
// (S3's limits and their pages: docs/table-files.md, "Staged, then certified").
import type { S3Port } from './ports';
import type { S3Location } from './s3-json';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** S3's multipart limits: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000 of them. */
export const MULTIPART = { minPartBytes: 5 * MiB, maxPartBytes: 5 * GiB, maxParts: 10_000 } as const;

export interface CopyLimits {
  /** sources up to this size are copied by one CopyObject */
  maxCopyObjectBytes: number;
  /** the part size of a multipart copy (raised when the object would need over 10,000 parts) */
  partBytes: number;
}

/** S3's CopyObject limit; 512 MiB parts keep a 5 TB object under 10,000 parts' worth of calls. */
export const S3_COPY_LIMITS: CopyLimits = { maxCopyObjectBytes: 5 * GiB, partBytes: 512 * MiB };

// Parts copied at once: each is a server-side copy, so a few in flight keep a Lambda within its time.
const PART_CONCURRENCY = 4;

export interface CopySource extends S3Location {
  versionId?: string;
  /** the ETag the bytes must still have (CopySourceIfMatch on every call) */
  etag: string;
  size: number;
}

export interface CopyTarget extends S3Location {
  contentType?: string;
  metadata: Record<string, string>;
}

/** `bucket/key[?versionId=…]` with the key URL-encoded, as `x-amz-copy-source` takes it. */
export function copySourceOf({ bucket, key, versionId }: Omit<CopySource, 'etag' | 'size'>): string {
  const source = `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  return versionId ? `${source}?versionId=${encodeURIComponent(versionId)}` : source;
}

/**
 * Copies `source` to `target` with the target's content type and metadata (MetadataDirective REPLACE),
 * by CopyObject up to `limits.maxCopyObjectBytes`, else by a multipart upload of UploadPartCopy ranges,
 * aborted if any part fails so no incomplete upload is left behind. Returns how many parts it took.
 */
export async function copyObjectOfAnySize(
  s3: S3Port,
  source: CopySource,
  target: CopyTarget,
  limits: CopyLimits = S3_COPY_LIMITS,
): Promise<{ parts: number }> {
  const CopySource = copySourceOf(source);
  const destination = {
    Bucket: target.bucket,
    Key: target.key,
    ContentType: target.contentType,
    Metadata: target.metadata,
  };
  if (source.size <= limits.maxCopyObjectBytes) {
    await s3.copyObject({
      ...destination,
      CopySource,
      CopySourceIfMatch: source.etag,
      MetadataDirective: 'REPLACE',
    });
    return { parts: 1 };
  }
  const partBytes = Math.max(limits.partBytes, Math.ceil(source.size / MULTIPART.maxParts));
  const count = Math.ceil(source.size / partBytes);
  const { UploadId } = await s3.createMultipartUpload(destination);
  if (!UploadId) throw new Error(`s3://${target.bucket}/${target.key}: S3 returned no multipart UploadId`);
  const etags: string[] = [];
  let next = 0;
  const copyParts = async () => {
    for (let i = next++; i < count; i = next++) {
      const first = i * partBytes;
      const last = Math.min(source.size, first + partBytes) - 1;
      const res = await s3.uploadPartCopy({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        PartNumber: i + 1,
        CopySource,
        CopySourceIfMatch: source.etag,
        CopySourceRange: `bytes=${first}-${last}`,
      });
      etags[i] = res.CopyPartResult?.ETag ?? '';
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, count) }, copyParts));
    await s3.completeMultipartUpload({
      Bucket: target.bucket,
      Key: target.key,
      UploadId,
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    });
  } catch (err) {
    await s3
      .abortMultipartUpload({ Bucket: target.bucket, Key: target.key, UploadId })
      .catch(() => undefined);
    throw err;
  }
  return { parts: count };
}
