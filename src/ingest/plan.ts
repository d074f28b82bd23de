// First step of an ingestion: what the object is (magic bytes from a ranged read, then extension and
// Content-Type) and what the state machine does with it — every service parameter it needs is built
// here, so the ASL only routes and polls.
import type { S3Port } from '../aws/ports';
import type { Settings } from '../aws/services';
import type { ExtractionConfig } from '../config/schema';
import { type Classification, classifyBytes, HEAD_BYTES, TAIL_BYTES } from '../extract/classify';
import type { RawObjectRef } from './input';
import { ingestionId, transcriptLocation } from './keys';
import type { IngestStatus } from './record';

/** The object as it was when ingestion started (the version every later step reads). */
export interface RawObject {
  bucket: string;
  key: string;
  versionId?: string;
  etag?: string;
  size: number;
  contentType?: string;
}

export type Route = 'textract' | 'transcribe' | 'text' | 'unsupported';
/** Textract text detection, or document analysis when feature types are configured. */
export type TextractApi = 'detection' | 'analysis';

export interface IngestPlan {
  id: string;
  route: Route;
  /** for route `unsupported`: the status and reason to record */
  status?: IngestStatus;
  reason?: string;
  poll: { intervalSeconds: number; maxPolls: number };
  textract?: {
    /** which asynchronous API the state machine starts and polls */
    api: TextractApi;
    DocumentLocation: { S3Object: { Bucket: string; Name: string; Version?: string } };
    ClientRequestToken: string;
    /** for api `analysis`: governance.yml extraction.textract.featureTypes */
    FeatureTypes?: string[];
  };
  transcribe?: {
    TranscriptionJobName: string;
    MediaFileUri: string;
    MediaFormat: string;
    LanguageCode: string;
    OutputBucketName: string;
    OutputKey: string;
    MaxSpeakerLabels: number;
    identifyPii: boolean;
  };
}

export interface Classified {
  executionId: string;
  object: RawObject;
  classification: Classification;
  plan: IngestPlan;
  /** polls made so far (the state machine's counter) */
  poll: { count: number };
}

const bytesOf = async (r: { Body?: unknown }): Promise<Uint8Array> =>
  (await (
    r.Body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined
  )?.transformToByteArray?.()) ?? new Uint8Array();

/** Head (and, for large zips, tail) bytes through ranged GETs: never the whole object. */
export async function readRawObject(s3: S3Port, ref: RawObjectRef) {
  const head = await s3.headObject({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId });
  const object: RawObject = {
    bucket: ref.bucket,
    key: ref.key,
    versionId: head.VersionId ?? ref.versionId,
    etag: (head.ETag ?? ref.etag)?.replace(/"/g, ''),
    size: head.ContentLength ?? 0,
    contentType: head.ContentType,
  };
  const at = { Bucket: object.bucket, Key: object.key, VersionId: object.versionId };
  const headBytes =
    object.size > 0
      ? await bytesOf(
          await s3.getObject({ ...at, Range: `bytes=0-${Math.min(HEAD_BYTES, object.size) - 1}` }),
        )
      : new Uint8Array();
  const tail =
    object.size > HEAD_BYTES
      ? await bytesOf(
          await s3.getObject({
            ...at,
            Range: `bytes=${Math.max(0, object.size - TAIL_BYTES)}-${object.size - 1}`,
          }),
        )
      : undefined;
  return { object, head: headBytes, tail };
}

function unsupportedOutcome(c: Classification): { status: IngestStatus; reason: string } {
  if (c.size === 0) return { status: 'empty', reason: c.reason ?? 'empty object (0 bytes)' };
  if (c.detectedKind) return { status: 'too_large', reason: c.reason ?? 'over the service limit' };
  return { status: 'unsupported', reason: c.reason ?? `unsupported format (${c.format})` };
}

export function planIngestion(
  executionId: string,
  object: RawObject,
  classification: Classification,
  config: ExtractionConfig,
  settings: Settings,
): IngestPlan {
  const id = ingestionId(executionId);
  const { intervalSeconds, maxPolls, transcribe } = config.polling;
  const poll = { intervalSeconds, maxPolls };
  switch (classification.kind) {
    case 'document':
    case 'image': {
      const features = config.textract.featureTypes;
      return {
        id,
        route: 'textract',
        poll,
        textract: {
          api: features.length ? 'analysis' : 'detection',
          ...(features.length ? { FeatureTypes: [...features] } : {}),
          DocumentLocation: {
            S3Object: {
              Bucket: object.bucket,
              Name: object.key,
              ...(object.versionId ? { Version: object.versionId } : {}),
            },
          },
          ClientRequestToken: id,
        },
      };
    }
    case 'audio': {
      const out = transcriptLocation(settings, id);
      return {
        id,
        route: 'transcribe',
        poll: { ...transcribe },
        transcribe: {
          TranscriptionJobName: `autogov-${id}`,
          MediaFileUri: `s3://${object.bucket}/${object.key}`,
          MediaFormat: classification.format,
          LanguageCode: config.transcribe.languageCode,
          OutputBucketName: out.bucket,
          OutputKey: out.key,
          MaxSpeakerLabels: config.transcribe.maxSpeakers,
          identifyPii: config.transcribe.identifyPii,
        },
      };
    }
    case 'text':
      return { id, route: 'text', poll };
    default:
      return { id, route: 'unsupported', poll, ...unsupportedOutcome(classification) };
  }
}

export async function classifyObject(
  s3: S3Port,
  ref: RawObjectRef,
  executionId: string,
  config: ExtractionConfig,
  settings: Settings,
): Promise<Classified> {
  const { object, head, tail } = await readRawObject(s3, ref);
  const classification = classifyBytes({
    head,
    tail,
    size: object.size,
    key: object.key,
    contentType: object.contentType,
  });
  return {
    executionId,
    object,
    classification,
    plan: planIngestion(executionId, object, classification, config, settings),
    poll: { count: 0 },
  };
}
