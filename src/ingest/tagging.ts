// The raw object's S3 tags: the only change autogov ever makes to a raw object. Access points grant
// s3:GetObject by `autogov:classification` (see access.ts), so the value fails closed: `public` only
// when the text was analysed in full (or the object is empty) and holds none of the configured
// sensitive PII types.
import type { Tag } from '@aws-sdk/client-s3';
import type { S3Port } from '../aws/ports';
import type { TagNames } from '../config/schema';
import type { IngestStatus } from './record';

export const CLASSIFICATION_TAG = 'autogov:classification';
export const PII_TAG = 'autogov:pii';
/** `autogov:pii` when the text was analysed and holds no PII at all. */
export const NO_PII = 'NONE';
/** `autogov:pii` when the content could not be analysed (status other than processed/empty). */
export const UNKNOWN_PII = 'UNKNOWN';

export interface RawObjectTags {
  classification: string;
  /** PII types joined with `+` (S3 tag values allow letters, digits, spaces and + - = . _ : / @) */
  pii: string;
}

export function rawObjectTags(
  status: IngestStatus,
  piiTypes: string[],
  sensitiveTypes: readonly string[],
  names: TagNames,
): RawObjectTags {
  if (status === 'empty') return { classification: names.public, pii: NO_PII };
  if (status !== 'processed') return { classification: names.sensitive, pii: UNKNOWN_PII };
  const types = [...new Set(piiTypes)].sort();
  const sensitive = types.some((t) => sensitiveTypes.includes(t));
  // S3 tag values are at most 256 characters.
  const pii = types.length ? types.join('+').slice(0, 256) : NO_PII;
  return { classification: sensitive ? names.sensitive : names.public, pii };
}

/** Sets autogov's two tags on one version of the object, keeping every other tag it has. */
export async function tagRawObject(
  s3: S3Port,
  at: { bucket: string; key: string; versionId?: string },
  tags: RawObjectTags,
): Promise<Tag[]> {
  const current = await s3.getObjectTagging({ Bucket: at.bucket, Key: at.key, VersionId: at.versionId });
  const others = (current.TagSet ?? []).filter((t) => t.Key !== CLASSIFICATION_TAG && t.Key !== PII_TAG);
  const TagSet: Tag[] = [
    ...others,
    { Key: CLASSIFICATION_TAG, Value: tags.classification },
    { Key: PII_TAG, Value: tags.pii },
  ];
  await s3.putObjectTagging({ Bucket: at.bucket, Key: at.key, VersionId: at.versionId, Tagging: { TagSet } });
  return TagSet;
}
