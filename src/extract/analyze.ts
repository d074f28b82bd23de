// Comprehend analysis of a whole text of any length through a ComprehendPort (the real client in the
// cloud, LocalComprehend locally): the text is chunked to each API's byte limit on sentence/space
// boundaries, and every offset is mapped back to the whole text in code points.
import type {
  Entity,
  KeyPhrase,
  LanguageCode as Language,
  PiiEntity,
  SentimentScore,
  SentimentType,
} from '@aws-sdk/client-comprehend';
import { COMPREHEND_BYTE_LIMITS, type ComprehendOperation, chunkText, detectInChunks } from './chunk';
import type { ComprehendPort } from './ports';

export interface TextAnalysis {
  /** The language used for the other calls: the requested one, else the dominant one detected. */
  languageCode?: string;
  languages: Array<{ LanguageCode?: string; Score?: number }>;
  piiEntities: PiiEntity[];
  entities: Entity[];
  keyPhrases: KeyPhrase[];
  sentiment?: {
    Sentiment: SentimentType;
    SentimentScore: Required<Pick<SentimentScore, 'Positive' | 'Negative' | 'Neutral' | 'Mixed'>>;
  };
  /** Text size in UTF-8 bytes and code points. */
  bytes: number;
  codePoints: number;
  /** Operations that could not run for this text, with the service's reason (e.g. unsupported language). */
  skipped: Array<{ operation: ComprehendOperation; reason: string }>;
}

export interface AnalyzeOptions {
  /** Skip language detection and use this code. */
  languageCode?: string;
  /** Run PII detection only (entities/key phrases/sentiment skipped). */
  piiOnly?: boolean;
}

const isUnsupportedLanguage = (err: unknown): err is Error =>
  err instanceof Error && err.name === 'UnsupportedLanguageException';

export async function analyzeText(
  port: ComprehendPort,
  text: string,
  opts: AnalyzeOptions = {},
): Promise<TextAnalysis> {
  const result: TextAnalysis = {
    languages: [],
    piiEntities: [],
    entities: [],
    keyPhrases: [],
    bytes: Buffer.byteLength(text, 'utf8'),
    codePoints: Array.from(text).length,
    skipped: [],
  };
  if (!text.trim()) return result;
  let language = opts.languageCode;
  if (!language) {
    // The first chunk decides: Comprehend reports one dominant language per call.
    const first = chunkText(text, COMPREHEND_BYTE_LIMITS.DetectDominantLanguage)[0]!;
    const r = await port.detectDominantLanguage({ Text: first.text });
    result.languages = r.Languages ?? [];
    language = result.languages[0]?.LanguageCode;
  }
  if (!language) {
    result.skipped.push({
      operation: 'DetectPiiEntities',
      reason: 'the language of the text could not be determined',
    });
    return result;
  }
  result.languageCode = language;
  // Comprehend's enum of request codes; detected codes outside it are rejected by the service itself.
  const LanguageCode = language as Language;

  const run = async <E extends { BeginOffset?: number; EndOffset?: number }>(
    op: ComprehendOperation,
    call: (chunk: string) => Promise<E[]>,
  ): Promise<E[]> => {
    try {
      return await detectInChunks(text, COMPREHEND_BYTE_LIMITS[op], call);
    } catch (err) {
      if (!isUnsupportedLanguage(err)) throw err;
      result.skipped.push({ operation: op, reason: err.message });
      return [];
    }
  };

  result.piiEntities = await run(
    'DetectPiiEntities',
    async (Text) => (await port.detectPiiEntities({ Text, LanguageCode })).Entities ?? [],
  );
  if (opts.piiOnly) return result;
  result.entities = await run(
    'DetectEntities',
    async (Text) => (await port.detectEntities({ Text, LanguageCode })).Entities ?? [],
  );
  result.keyPhrases = await run(
    'DetectKeyPhrases',
    async (Text) => (await port.detectKeyPhrases({ Text, LanguageCode })).KeyPhrases ?? [],
  );

  try {
    // Byte-weighted mean of the per-chunk scores; the label is the highest mean score.
    const sum = { Positive: 0, Negative: 0, Neutral: 0, Mixed: 0 };
    let weight = 0;
    for (const chunk of chunkText(text, COMPREHEND_BYTE_LIMITS.DetectSentiment)) {
      if (!chunk.text.trim()) continue;
      const r = await port.detectSentiment({ Text: chunk.text, LanguageCode });
      const s = r.SentimentScore ?? {};
      sum.Positive += (s.Positive ?? 0) * chunk.bytes;
      sum.Negative += (s.Negative ?? 0) * chunk.bytes;
      sum.Neutral += (s.Neutral ?? 0) * chunk.bytes;
      sum.Mixed += (s.Mixed ?? 0) * chunk.bytes;
      weight += chunk.bytes;
    }
    if (weight > 0) {
      const score = {
        Positive: sum.Positive / weight,
        Negative: sum.Negative / weight,
        Neutral: sum.Neutral / weight,
        Mixed: sum.Mixed / weight,
      };
      const [label] = (Object.entries(score) as Array<[keyof typeof score, number]>).sort(
        (a, b) => b[1] - a[1],
      )[0]!;
      result.sentiment = { Sentiment: label.toUpperCase() as SentimentType, SentimentScore: score };
    }
  } catch (err) {
    if (!isUnsupportedLanguage(err)) throw err;
    result.skipped.push({ operation: 'DetectSentiment', reason: err.message });
  }
  return result;
}
