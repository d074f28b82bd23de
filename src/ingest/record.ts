// The metadata record: one JSON line per ingestion in the documents_metadata table, linking the raw
// object (path, version, etag) to what was extracted from it and to how it ended.
import { z } from 'zod';

/**
 * How an ingestion ended. Only `processed` means the text was analysed in full; every other status
 * carries a reason. Content problems (empty, unsupported, too large, corrupt, encrypted, language)
 * are recorded outcomes; `timed_out` and `failed` also fail the execution.
 */
export const INGEST_STATUSES = [
  'processed',
  'empty',
  'unsupported',
  'too_large',
  'corrupt',
  'encrypted',
  'unsupported_language',
  'unavailable',
  'timed_out',
  'failed',
] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

/** Statuses that end the execution in Fail (after the record is written). */
export const FAILING_STATUSES: readonly IngestStatus[] = ['timed_out', 'failed'];

export const metadataRecordSchema = z.object({
  raw_uri: z.string(),
  raw_bucket: z.string(),
  raw_key: z.string(),
  version_id: z.string().nullable(),
  etag: z.string().nullable(),
  size: z.number().nullable(),
  content_type: z.string().nullable(),
  kind: z.string().nullable(),
  format: z.string().nullable(),
  extracted_uri: z.string().nullable(),
  language: z.string().nullable(),
  /** Comprehend PII types found, sorted, comma-separated ('' when none) */
  pii_entity_types: z.string(),
  /** JSON object: PII type → count (a string column: one schema for every row) */
  pii_entity_counts: z.string(),
  sentiment: z.string().nullable(),
  /** JSON array of the top key phrases */
  key_phrases: z.string(),
  /** autogov:classification given to the raw object */
  classification: z.string(),
  status: z.enum(INGEST_STATUSES),
  reason: z.string().nullable(),
  execution_id: z.string(),
  processed_at: z.string(),
});
export type MetadataRecord = z.infer<typeof metadataRecordSchema>;

export interface Outcome {
  status: IngestStatus;
  reason?: string;
}

/** A service's failure message (Textract StatusMessage, Transcribe FailureReason, a Lambda cause) → status. */
export function outcomeOfFailure(message: string): Outcome {
  const m = message.toLowerCase();
  if (m.includes('unavailable locally')) return { status: 'unavailable', reason: message };
  if (/encrypt|password/.test(m)) return { status: 'encrypted', reason: message };
  if (
    /corrupt|damaged|malformed|invalid pdf|not a valid|unable to parse|bad xref|invalidpdf|cannot be read/.test(
      m,
    )
  )
    return { status: 'corrupt', reason: message };
  if (/too ?large|larger than|longer than|over \d|maximum/.test(m))
    return { status: 'too_large', reason: message };
  if (/unsupported(document| media| document)|unsupported format|request has unsupported/.test(m))
    return { status: 'unsupported', reason: message };
  return { status: 'failed', reason: message };
}

/** Lambda and service causes arrive as JSON (`errorMessage`) or plain text; the first line is enough. */
export function causeText(cause: string | undefined): string {
  if (!cause) return 'no cause reported';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; ErrorMessage?: string; message?: string };
    text = parsed.errorMessage ?? parsed.ErrorMessage ?? parsed.message ?? cause;
  } catch {
    // plain text
  }
  return text.split('\n')[0]!;
}
