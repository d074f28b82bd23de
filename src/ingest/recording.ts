// The last step of every ingestion, whichever way it went: decide the status and reason, tag the raw
// object, append the metadata record, and have the document tables governed (LF-Tags).
import { z } from 'zod';
import { s3Uri } from '../aws/s3-json';
import type { Uses } from '../aws/services';
import { startOnce } from '../aws/start-once';
import type { LoadedGovernance } from '../config/load';
import type { Classification } from '../extract/classify';
import { executionName } from '../governance/keys';
import type { AnalysisSummary } from './analyze';
import { parseObjectRef } from './input';
import {
  DOCUMENT_TABLES,
  type DocumentTable,
  documentRowLocation,
  ingestionId,
  METADATA_TABLE,
} from './keys';
import type { IngestPlan, RawObject } from './plan';
import { causeText, type IngestStatus, type MetadataRecord, type Outcome, outcomeOfFailure } from './record';
import { ensureDocumentTable } from './tables';
import { type RawObjectTags, rawObjectTags, tagRawObject } from './tagging';

/** The execution state as the state machine hands it over (every part optional: any step may have failed). */
const stateSchema = z.looseObject({
  input: z.unknown().optional(),
  object: z.custom<RawObject>((v) => typeof v === 'object' && v !== null).optional(),
  classification: z.custom<Classification>((v) => typeof v === 'object' && v !== null).optional(),
  plan: z.custom<IngestPlan>((v) => typeof v === 'object' && v !== null).optional(),
  poll: z
    .looseObject({
      count: z.number().optional(),
      result: z
        .looseObject({
          JobStatus: z.string().optional(),
          StatusMessage: z.string().optional(),
          TranscriptionJob: z
            .looseObject({
              TranscriptionJobStatus: z.string().optional(),
              FailureReason: z.string().optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  analysis: z
    .looseObject({ Payload: z.custom<AnalysisSummary>((v) => typeof v === 'object' && v !== null) })
    .optional(),
  failure: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  timedOut: z.looseObject({ service: z.string() }).optional(),
});
export const recordInputSchema = z.object({ executionId: z.string().min(1), state: stateSchema });
export type RecordInput = z.infer<typeof recordInputSchema>;

export interface Recorded {
  record: MetadataRecord;
  tags?: RawObjectTags;
  /** govern-table executions started for the document tables */
  governed: string[];
}

/** ExtractionError codes (thrown by handlers as `ExtractionError.<code>`) → statuses. */
const EXTRACTION_STATUS: Record<string, IngestStatus> = {
  corrupt: 'corrupt',
  encrypted: 'encrypted',
  unsupported: 'unsupported',
  unavailable: 'unavailable',
  failed: 'failed',
  timeout: 'timed_out',
};

export function outcomeOf(state: RecordInput['state']): Outcome {
  if (state.failure) {
    const message = causeText(state.failure.Cause);
    const code = /^ExtractionError\.(\w+)$/.exec(state.failure.Error ?? '')?.[1];
    if (code) return { status: EXTRACTION_STATUS[code] ?? 'failed', reason: message };
    const o = outcomeOfFailure(message);
    // Only a service's own verdict on the content may downgrade a crash to a content status.
    return o.status === 'failed'
      ? { status: 'failed', reason: `${state.failure.Error ?? 'Error'}: ${message}` }
      : o;
  }
  if (state.timedOut) {
    const polls = state.poll?.count ?? 0;
    const interval = state.plan?.poll.intervalSeconds ?? 0;
    return {
      status: 'timed_out',
      reason: `${state.timedOut.service} job still in progress after ${polls} polls (${polls * interval} s)`,
    };
  }
  if (state.plan?.route === 'unsupported')
    return { status: state.plan.status ?? 'unsupported', reason: state.plan.reason };
  const result = state.poll?.result;
  if (result?.JobStatus === 'FAILED')
    return outcomeOfFailure(`Textract: ${result.StatusMessage ?? 'job failed'}`);
  if (result?.TranscriptionJob?.TranscriptionJobStatus === 'FAILED')
    return outcomeOfFailure(`Transcribe: ${result.TranscriptionJob.FailureReason ?? 'job failed'}`);
  const analysis = state.analysis?.Payload;
  if (analysis) return { status: analysis.status, reason: analysis.reason };
  return { status: 'failed', reason: 'the ingestion ended without an outcome' };
}

/**
 * The debounce of document-table governance: every ingestion recorded in the same window names the
 * same execution with the same input, which waits until the window has ended (`notBefore`) and so
 * evaluates every row written in it. Step Functions answers a StartExecution repeating a RUNNING
 * execution's name and input with that execution, so a burst starts one run per table and window.
 */
export function governWindow(
  seconds: number | undefined,
  now: Date,
): { id: string; end: string } | undefined {
  if (!seconds) return undefined;
  const index = Math.floor(now.getTime() / (seconds * 1000));
  return { id: `window-${seconds}-${index}`, end: new Date((index + 1) * seconds * 1000).toISOString() };
}

export async function recordIngestion(
  services: Uses<'s3' | 'glue' | 'sfn'>,
  gov: LoadedGovernance,
  input: RecordInput,
  now = new Date(),
): Promise<Recorded> {
  const { state, executionId } = input;
  const { settings } = services;
  const config = gov.config;
  let object: RawObject | undefined = state.object;
  if (!object) {
    // Classification itself failed: the input still names the object.
    const ref = parseObjectRef(state.input ?? state);
    object = { ...ref, size: -1 };
  }
  const outcome = outcomeOf(state);
  const classification = state.classification;
  // A lying extension is worth knowing whatever happened next.
  if (classification?.mismatch)
    outcome.reason = outcome.reason
      ? `${outcome.reason}; ${classification.mismatch}`
      : classification.mismatch;
  const analysis = state.analysis?.Payload;

  let tags: RawObjectTags | undefined;
  const wanted = rawObjectTags(
    outcome.status,
    analysis?.piiTypes ?? [],
    config.extraction.sensitiveEntityTypes,
    config.tags,
  );
  try {
    await tagRawObject(services.s3, object, wanted);
    tags = wanted;
  } catch (err) {
    const name = (err as { name?: string }).name;
    // The object (or version) is gone: nothing to tag, the record says so.
    if (name !== 'NoSuchKey' && name !== 'NoSuchVersion' && name !== 'NotFound') throw err;
    outcome.reason = `${outcome.reason ? `${outcome.reason}; ` : ''}raw object not found, not tagged`;
  }

  const record: MetadataRecord = {
    raw_uri: s3Uri({ bucket: object.bucket, key: object.key }),
    raw_bucket: object.bucket,
    raw_key: object.key,
    version_id: object.versionId ?? null,
    etag: object.etag ?? null,
    size: object.size >= 0 ? object.size : null,
    content_type: object.contentType ?? null,
    kind: classification?.kind ?? null,
    format: classification?.format ?? null,
    extracted_uri: analysis?.extractedUri ?? null,
    language: analysis?.language ?? null,
    pii_entity_types: (analysis?.piiTypes ?? []).join(','),
    pii_entity_counts: JSON.stringify(analysis?.piiCounts ?? {}),
    sentiment: analysis?.sentiment ?? null,
    key_phrases: JSON.stringify(analysis?.keyPhrases ?? []),
    classification: tags?.classification ?? wanted.classification,
    status: outcome.status,
    reason: outcome.reason ?? null,
    execution_id: executionId,
    processed_at: now.toISOString(),
  };
  const id = ingestionId(executionId);
  const at = documentRowLocation(settings, METADATA_TABLE, now, id);
  await services.s3.putObject({
    Bucket: at.bucket,
    Key: at.key,
    Body: `${JSON.stringify(record)}\n`,
    ContentType: 'application/x-ndjson',
  });

  const governed: string[] = [];
  const tables: DocumentTable[] = analysis ? [...DOCUMENT_TABLES] : [METADATA_TABLE];
  for (const table of tables) await ensureDocumentTable(services.glue, settings, table);
  if (config.extraction.governTables) {
    const window = governWindow(settings.documentsGovernWindowSeconds, now);
    for (const table of tables) {
      const name = executionName(`docs-${table}`, window?.id ?? executionId, table);
      const input = { database: settings.documentsDatabase, table, ...(window && { notBefore: window.end }) };
      await startOnce(services.sfn, settings.governTableStateMachineArn, name, input, 'already started');
      governed.push(name);
    }
  }
  return { record, tags, governed };
}
