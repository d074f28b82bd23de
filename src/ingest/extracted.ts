// The extracted JSON (one per raw key, in the extracted bucket) and the intermediate text every
// extraction route produces before Comprehend runs. Offsets are Unicode code points, as Comprehend's.
import type { Block } from '@aws-sdk/client-textract';
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { parseS3Uri, readJson, type S3Location } from '../aws/s3-json';
import { collectBlocks, textFromBlocks } from '../extract/blocks';
import type { TextFormat } from '../extract/classify';
import type { TextractPort } from '../extract/ports';
import { extractTextFile } from '../extract/text-file';
import { ExtractionError } from '../extract/types';
import type { RawObject } from './plan';
import { documentAnalysisOf, documentAnalysisSchema } from './textract-analysis';

/** What an extraction route hands to the analysis step (kept in S3: text can exceed state payload limits). */
export const workTextSchema = z.object({
  source: z.enum(['textract', 'transcribe', 'text']),
  text: z.string(),
  pages: z.number().optional(),
  speakers: z.number().optional(),
  warnings: z.array(z.string()),
  /** configured analysis this route could not give (Textract features unavailable locally) */
  limitations: z.array(z.string()).optional(),
  /** Textract document analysis: forms, tables, signatures */
  analysis: documentAnalysisSchema.optional(),
});
export type WorkText = z.infer<typeof workTextSchema>;

const bytesOf = async (r: { Body?: unknown }): Promise<Uint8Array> =>
  (await (
    r.Body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined
  )?.transformToByteArray?.()) ?? new Uint8Array();

/** txt, md, csv, html, json, docx: the object's own text. */
export async function extractObjectText(
  s3: S3Port,
  object: RawObject,
  format: TextFormat,
): Promise<WorkText> {
  const res = await s3.getObject({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId });
  const { text, warnings } = await extractTextFile(await bytesOf(res), format);
  return { source: 'text', text, warnings };
}

/** The local emulator's warning that analysis gave text only (src/local/textract.ts). */
const LOCAL_FEATURES_WARNING = 'LOCAL_FEATURES_NOT_AVAILABLE';

/**
 * Every page of a finished Textract job (NextToken followed), as text in reading order; for document
 * analysis also the forms, tables and signatures found.
 */
export async function collectTextractText(
  textract: TextractPort,
  jobId: string,
  analysis?: { featureTypes: string[] },
): Promise<WorkText> {
  const warnings: string[] = [];
  let pages: number | undefined;
  const blocks: Block[] = await collectBlocks(async (NextToken) => {
    const page = analysis
      ? await textract.getDocumentAnalysis({ JobId: jobId, NextToken })
      : await textract.getDocumentTextDetection({ JobId: jobId, NextToken });
    pages ??= page.DocumentMetadata?.Pages;
    for (const w of page.Warnings ?? [])
      if (w.ErrorCode && !warnings.includes(w.ErrorCode)) warnings.push(w.ErrorCode);
    return page;
  });
  const limitations = warnings
    .filter((w) => w.startsWith(LOCAL_FEATURES_WARNING))
    .map((w) => `Textract analysis: ${w}`);
  return {
    source: 'textract',
    text: textFromBlocks(blocks),
    pages,
    warnings,
    ...(limitations.length ? { limitations } : {}),
    ...(analysis ? { analysis: documentAnalysisOf(blocks, analysis.featureTypes) } : {}),
  };
}

const transcriptSchema = z.looseObject({
  results: z.looseObject({
    transcripts: z.array(z.looseObject({ transcript: z.string() })).min(1),
    speaker_labels: z.looseObject({ speakers: z.union([z.number(), z.string()]).optional() }).optional(),
  }),
  autogov: z.looseObject({ source: z.string().optional(), origin: z.string().optional() }).optional(),
});

/** `s3://b/k`, `https://s3.<region>.amazonaws.com/b/k` or `https://b.s3.<region>.amazonaws.com/k`. */
export function transcriptUriLocation(uri: string): S3Location {
  if (uri.startsWith('s3://')) return parseS3Uri(uri);
  const u = new URL(uri);
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const virtual = /^(.+)\.s3[.-]/.exec(u.hostname);
  if (virtual) return { bucket: virtual[1]!, key: path };
  const [bucket, ...key] = path.split('/');
  return { bucket: bucket!, key: key.join('/') };
}

export async function readTranscriptText(s3: S3Port, uri: string): Promise<WorkText> {
  const doc = await readJson(s3, transcriptUriLocation(uri), transcriptSchema);
  if (!doc) throw new ExtractionError('failed', `transcript ${uri} not found`);
  const warnings = doc.autogov?.source
    ? [`transcript from local ${doc.autogov.source}: ${doc.autogov.origin ?? ''}`.trim()]
    : [];
  const speakers = doc.results.speaker_labels?.speakers;
  return {
    source: 'transcribe',
    text: doc.results.transcripts.map((t) => t.transcript).join('\n'),
    speakers: speakers === undefined ? undefined : Number(speakers),
    warnings,
  };
}

const offsetEntity = z.looseObject({
  Type: z.string().optional(),
  Score: z.number().optional(),
  BeginOffset: z.number(),
  EndOffset: z.number(),
  Text: z.string().optional(),
});

export type OffsetEntity = z.infer<typeof offsetEntity>;

/** Rekognition's labels and LINE texts of an image; an operation that cannot run here says why instead. */
const rekognitionResultSchema = z.object({
  labels: z.array(z.object({ name: z.string(), confidence: z.number().optional() })),
  text: z.array(z.string()),
  labelsUnavailable: z.string().optional(),
  textUnavailable: z.string().optional(),
});
export type RekognitionResult = z.infer<typeof rekognitionResultSchema>;

/** The extracted JSON written to extracted/<raw key>.json. */
export const extractedDocumentSchema = z.object({
  schemaVersion: z.literal(1),
  raw: z.object({
    uri: z.string(),
    bucket: z.string(),
    key: z.string(),
    versionId: z.string().optional(),
    etag: z.string().optional(),
    size: z.number(),
    contentType: z.string().optional(),
  }),
  kind: z.string(),
  format: z.string(),
  source: z.enum(['textract', 'transcribe', 'text']),
  status: z.string(),
  reason: z.string().optional(),
  text: z.string(),
  /** code points of `text` (JavaScript's length counts UTF-16 units) */
  codePoints: z.number(),
  pages: z.number().optional(),
  speakers: z.number().optional(),
  language: z.object({ code: z.string().optional(), candidates: z.array(z.looseObject({})) }),
  piiEntities: z.array(offsetEntity),
  entities: z.array(offsetEntity),
  keyPhrases: z.array(offsetEntity),
  sentiment: z.looseObject({ Sentiment: z.string() }).optional(),
  skipped: z.array(z.object({ operation: z.string(), reason: z.string() })),
  /** present when Textract document analysis ran (extraction.textract.featureTypes) */
  analysis: documentAnalysisSchema.optional(),
  rekognition: rekognitionResultSchema.or(z.object({ unavailable: z.string() })).optional(),
  warnings: z.array(z.string()),
  executionId: z.string(),
  extractedAt: z.string(),
});
export type ExtractedDocument = z.infer<typeof extractedDocumentSchema>;
