// Where the ingestion path keeps things. Raw objects are never written; everything autogov derives
// from them lives in the extracted bucket:
//   extracted/<raw key>.json                          the extracted JSON of the object (latest)
//   tables/extracted_text/dt=YYYY-MM-DD/<id>.jsonl    one row per ingestion: text and entities
//   tables/documents_metadata/dt=YYYY-MM-DD/<id>.jsonl  one metadata record per ingestion
//   _work/<id>/text.json, _transcripts/<id>.json       intermediate results (not in any table)
import { createHash } from 'node:crypto';
import type { S3Location } from '../aws/s3-json';
import type { Settings } from '../aws/services';

export const EXTRACTED_TABLE = 'extracted_text';
export const METADATA_TABLE = 'documents_metadata';
export const DOCUMENT_TABLES = [EXTRACTED_TABLE, METADATA_TABLE] as const;
export type DocumentTable = (typeof DOCUMENT_TABLES)[number];

/** Step Functions execution ARN (or name) → a short id, stable across retries of the same execution. */
export const ingestionId = (executionId: string): string =>
  createHash('sha256').update(executionId).digest('hex').slice(0, 24);

export const documentTableLocation = (s: Settings, table: DocumentTable): S3Location => ({
  bucket: s.extractedBucket,
  key: `tables/${table}/`,
});

/** A table row file: JSON lines under the date partition folder of when it was processed. */
export const documentRowLocation = (
  s: Settings,
  table: DocumentTable,
  processedAt: Date,
  id: string,
): S3Location => ({
  bucket: s.extractedBucket,
  key: `tables/${table}/dt=${processedAt.toISOString().slice(0, 10)}/${id}.jsonl`,
});

/** Keyed from the raw key, so `autogov show KEY` finds it; the latest ingestion of the key wins. */
export const extractedLocation = (s: Settings, rawKey: string): S3Location => ({
  bucket: s.extractedBucket,
  key: `extracted/${rawKey}.json`,
});

export const workTextLocation = (s: Settings, id: string): S3Location => ({
  bucket: s.extractedBucket,
  key: `_work/${id}/text.json`,
});

export const transcriptLocation = (s: Settings, id: string): S3Location => ({
  bucket: s.extractedBucket,
  key: `_transcripts/${id}.json`,
});
