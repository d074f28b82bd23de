// The analysis step: Comprehend over the extracted text (chunked, offsets in code points), Rekognition
// for images when configured, then the extracted JSON and its extracted_text row.

import { s3Uri, writeJson } from '../aws/s3-json';
import type { Uses } from '../aws/services';

/** What analysis calls: Comprehend, Rekognition (when enabled) and S3 for the results. */
export type AnalyzeServices = Uses<'s3' | 'comprehend' | 'rekognition'>;

import type { ExtractionConfig } from '../config/schema';
import { analyzeText } from '../extract/analyze';
import { COMPREHEND_BYTE_LIMITS, chunkText, sliceCodePoints } from '../extract/chunk';
import type { Classification } from '../extract/classify';
import type { ExtractedDocument, OffsetEntity, RekognitionResult, WorkText } from './extracted';
import { documentRowLocation, EXTRACTED_TABLE, extractedLocation, ingestionId as idOf } from './keys';
import type { RawObject } from './plan';
import type { IngestStatus } from './record';

export interface AnalysisSummary {
  status: Extract<IngestStatus, 'processed' | 'empty' | 'unsupported_language'>;
  reason?: string;
  extractedUri: string;
  language?: string;
  piiTypes: string[];
  piiCounts: Record<string, number>;
  sentiment?: string;
  keyPhrases: string[];
}

/** Key phrases kept in the metadata record (the extracted JSON keeps them all). */
const TOP_KEY_PHRASES = 20;

/** A service's "cannot do this here" (the local emulators' UnavailableLocallyException), as opposed to a failure. */
function unavailableReason(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'UnavailableLocallyException' || /unavailable locally/i.test(err.message))
    return err.message;
  return undefined;
}

/** Each Rekognition call on its own: one that is unavailable (labels, locally) leaves the other's result. */
async function rekognitionOf(
  services: AnalyzeServices,
  object: RawObject,
  classification: Classification,
  config: ExtractionConfig,
): Promise<ExtractedDocument['rekognition']> {
  if (!config.rekognition.enabled || classification.kind !== 'image') return undefined;
  const { rekognition } = services;
  const Image = {
    S3Object: {
      Bucket: object.bucket,
      Name: object.key,
      ...(object.versionId ? { Version: object.versionId } : {}),
    },
  };
  const result: RekognitionResult = { labels: [], text: [] };
  try {
    const labels = await rekognition.detectLabels({ Image, MaxLabels: 25 });
    result.labels = (labels.Labels ?? []).map((l) => ({ name: l.Name ?? '', confidence: l.Confidence }));
  } catch (err) {
    const reason = unavailableReason(err);
    if (!reason) throw err;
    result.labelsUnavailable = reason;
  }
  try {
    const text = await rekognition.detectText({ Image });
    result.text = (text.TextDetections ?? [])
      .filter((t) => t.Type === 'LINE')
      .map((t) => t.DetectedText ?? '');
  } catch (err) {
    const reason = unavailableReason(err);
    if (!reason) throw err;
    result.textUnavailable = reason;
  }
  return result;
}

/** What the configuration asked for but this run could not give: said in the record's reason. */
function limitationsOf(rekognition: ExtractedDocument['rekognition']): string[] {
  if (!rekognition) return [];
  if ('unavailable' in rekognition) return [`Rekognition: ${rekognition.unavailable}`];
  return [
    ...(rekognition.labelsUnavailable ? [`Rekognition labels: ${rekognition.labelsUnavailable}`] : []),
    ...(rekognition.textUnavailable ? [`Rekognition text: ${rekognition.textUnavailable}`] : []),
  ];
}

/**
 * Comprehend's dominant language of the first chunk; when it is unsure (OCR'd fragments, very short
 * text), governance.yml's fallback language, so PII detection still runs.
 */
async function chooseLanguage(services: AnalyzeServices, text: string, config: ExtractionConfig) {
  if (!text.trim()) return { code: undefined, candidates: [] };
  const first = chunkText(text, COMPREHEND_BYTE_LIMITS.DetectDominantLanguage)[0]!;
  const candidates = (await services.comprehend.detectDominantLanguage({ Text: first.text })).Languages ?? [];
  const top = candidates[0];
  if (top?.LanguageCode && (top.Score ?? 0) >= config.language.minScore)
    return { code: top.LanguageCode, candidates };
  return { code: config.language.fallback, candidates, fallback: true };
}

export async function analyzeExtraction(
  services: AnalyzeServices,
  input: { executionId: string; object: RawObject; classification: Classification; work: WorkText },
  config: ExtractionConfig,
  now = new Date(),
): Promise<AnalysisSummary> {
  const { object, classification, work, executionId } = input;
  const text = work.text;
  const language = await chooseLanguage(services, text, config);
  const analysis = await analyzeText(services.comprehend, text, { languageCode: language.code });
  analysis.languages = language.candidates;
  // Comprehend does not return the matched text; the extracted JSON carries it for reading and governance.
  const withText = <E extends { BeginOffset?: number; EndOffset?: number }>(es: E[]): OffsetEntity[] =>
    es.map((e) => ({
      ...(e as Record<string, unknown>),
      BeginOffset: e.BeginOffset ?? 0,
      EndOffset: e.EndOffset ?? 0,
      Text: sliceCodePoints(text, e.BeginOffset ?? 0, e.EndOffset ?? 0),
    }));
  const piiEntities = withText(analysis.piiEntities);
  const piiSkipped = analysis.skipped.find((s) => s.operation === 'DetectPiiEntities');
  let status: AnalysisSummary['status'] = 'processed';
  let reason: string | undefined;
  if (!text.trim()) {
    status = 'empty';
    reason = `no text found (${work.source})${work.warnings.length ? `: ${work.warnings.join('; ')}` : ''}`;
  } else if (piiSkipped) {
    status = 'unsupported_language';
    reason = `PII detection not run: ${piiSkipped.reason}`;
  }
  const rekognition = await rekognitionOf(services, object, classification, config);
  // Processed, yet short of what governance.yml asked for: the record's reason says what is missing.
  const limitations = [...(work.limitations ?? []), ...limitationsOf(rekognition)];
  if (limitations.length) reason = [reason, ...limitations].filter(Boolean).join('; ');
  const location = extractedLocation(services.settings, object.key);
  const extractedUri = s3Uri(location);
  const doc: ExtractedDocument = {
    schemaVersion: 1,
    raw: {
      uri: s3Uri({ bucket: object.bucket, key: object.key }),
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      etag: object.etag,
      size: object.size,
      contentType: object.contentType,
    },
    kind: classification.kind,
    format: classification.format,
    source: work.source,
    status,
    reason,
    text,
    codePoints: analysis.codePoints,
    pages: work.pages,
    speakers: work.speakers,
    language: { code: analysis.languageCode, candidates: analysis.languages },
    piiEntities,
    entities: withText(analysis.entities),
    keyPhrases: withText(analysis.keyPhrases),
    sentiment: analysis.sentiment,
    skipped: analysis.skipped.map((s) => ({ operation: s.operation, reason: s.reason })),
    analysis: work.analysis,
    rekognition,
    warnings: [...work.warnings, ...(classification.mismatch ? [classification.mismatch] : [])],
    executionId,
    extractedAt: now.toISOString(),
  };
  await writeJson(services.s3, location, doc);

  const row = {
    raw_uri: doc.raw.uri,
    raw_key: object.key,
    version_id: object.versionId ?? null,
    etag: object.etag ?? null,
    kind: classification.kind,
    format: classification.format,
    language: analysis.languageCode ?? null,
    text,
    pii_entities: JSON.stringify(
      piiEntities.map((e) => ({ type: e.Type, begin: e.BeginOffset, end: e.EndOffset, text: e.Text })),
    ),
    entities: JSON.stringify(
      doc.entities.map((e) => ({ type: e.Type, begin: e.BeginOffset, end: e.EndOffset, text: e.Text })),
    ),
    key_phrases: JSON.stringify(doc.keyPhrases.map((k) => k.Text)),
    sentiment: analysis.sentiment?.Sentiment ?? null,
    extracted_uri: extractedUri,
    execution_id: executionId,
    processed_at: doc.extractedAt,
  };
  const rowAt = documentRowLocation(services.settings, EXTRACTED_TABLE, now, idOf(executionId));
  await services.s3.putObject({
    Bucket: rowAt.bucket,
    Key: rowAt.key,
    Body: `${JSON.stringify(row)}\n`,
    ContentType: 'application/x-ndjson',
  });

  const piiCounts: Record<string, number> = {};
  for (const e of piiEntities) if (e.Type) piiCounts[e.Type] = (piiCounts[e.Type] ?? 0) + 1;
  return {
    status,
    reason,
    extractedUri,
    language: analysis.languageCode,
    piiTypes: Object.keys(piiCounts).sort(),
    piiCounts,
    sentiment: analysis.sentiment?.Sentiment,
    keyPhrases: [...new Set(doc.keyPhrases.map((k) => k.Text ?? ''))]
      .filter(Boolean)
      .slice(0, TOP_KEY_PHRASES),
  };
}
