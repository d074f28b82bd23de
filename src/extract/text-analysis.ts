// Local stand-ins for Comprehend's language, entity, key phrase and sentiment models, built on
// maintained libraries: tinyld (n-gram language identification), compromise (English POS tagging,
// people/places/organisations/dates/values, noun phrases) and sentiment (AFINN-165 lexicon).
// Their results are Comprehend-shaped with code point offsets; quality is that of those libraries,
// which is far from Comprehend's models — good enough to route and govern locally, not to benchmark.
import type {
  DominantLanguage,
  Entity,
  EntityType,
  KeyPhrase,
  SentimentScore,
  SentimentType,
} from '@aws-sdk/client-comprehend';
import type Nlp from 'compromise';
import type Sentiment from 'sentiment';
import { lazy } from '../lazy';
import { codePointIndexer } from '../pii/unicode';

const nlp = lazy(() => require('compromise') as typeof Nlp);
const tinyld = lazy(() => require('tinyld') as typeof import('tinyld'));
const afinn = lazy(() => new (require('sentiment') as typeof Sentiment)());

/** Languages the local entity, key phrase and sentiment engines handle (compromise and AFINN are English). */
export const LOCAL_NLP_LANGUAGES = ['en'] as const;

/** Comprehend's languages for DetectEntities / DetectKeyPhrases / DetectSentiment. */
export const COMPREHEND_NLP_LANGUAGES = [
  'en',
  'es',
  'fr',
  'de',
  'it',
  'pt',
  'ar',
  'hi',
  'ja',
  'ko',
  'zh',
  'zh-TW',
] as const;

export interface LocalEntity extends Entity {
  Text: string;
  Type: EntityType;
  Score: number;
  BeginOffset: number;
  EndOffset: number;
}

export interface LocalKeyPhrase extends KeyPhrase {
  Text: string;
  Score: number;
  BeginOffset: number;
  EndOffset: number;
}

export interface LocalSentiment {
  Sentiment: SentimentType;
  SentimentScore: Required<Pick<SentimentScore, 'Positive' | 'Negative' | 'Neutral' | 'Mixed'>>;
}

/** Dominant languages, best first, with tinyld's accuracy as Score; [] when the text is too short to tell. */
export function detectDominantLanguageLocal(
  text: string,
): Array<Required<Pick<DominantLanguage, 'LanguageCode' | 'Score'>>> {
  return tinyld()
    .detectAll(text)
    .filter((l) => l.accuracy > 0)
    .slice(0, 5)
    .map((l) => ({ LanguageCode: l.lang, Score: round(l.accuracy) }));
}

/** compromise's .json({offset:true}) match shape (the library types it loosely). */
interface Match {
  text: string;
  offset: { start: number; length: number };
}

const round = (n: number) => Math.round(n * 10000) / 10000;

/** Trims punctuation/spaces that compromise keeps in a match ("2024.", "(Paris"); offsets in UTF-16. */
function trimSpan(text: string, start: number, end: number): [number, number] {
  const edge = /[\p{L}\p{N}]/u;
  while (start < end && !edge.test(text[start]!)) start++;
  while (end > start && !edge.test(text[end - 1]!)) end--;
  // Keep a surrogate pair whole.
  if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? '')) end++;
  return [start, end];
}

function spans(text: string, matches: Match[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of matches) {
    const [start, end] = trimSpan(text, m.offset.start, m.offset.start + m.offset.length);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** Named entities: PERSON, LOCATION, ORGANIZATION, DATE, QUANTITY (compromise's categories). */
export function detectEntitiesLocal(text: string): LocalEntity[] {
  const doc = nlp()(text);
  const toCp = codePointIndexer(text);
  const groups: Array<[EntityType, number, Match[]]> = [
    ['PERSON', 0.85, doc.people().json({ offset: true }) as Match[]],
    ['ORGANIZATION', 0.8, doc.organizations().json({ offset: true }) as Match[]],
    ['LOCATION', 0.8, doc.places().json({ offset: true }) as Match[]],
    ['DATE', 0.8, doc.match('#Date+').json({ offset: true }) as Match[]],
    ['QUANTITY', 0.75, doc.match('#Value+ #Unit?').json({ offset: true }) as Match[]],
  ];
  const taken: Array<{ start: number; end: number }> = [];
  const out: LocalEntity[] = [];
  for (const [type, score, matches] of groups) {
    for (const s of spans(text, matches)) {
      // Earlier (more specific) categories win overlapping spans: "3 March 2024" is a DATE, not a QUANTITY.
      if (taken.some((t) => s.start < t.end && t.start < s.end)) continue;
      taken.push(s);
      out.push({
        Type: type,
        Score: score,
        Text: text.slice(s.start, s.end),
        BeginOffset: toCp(s.start),
        EndOffset: toCp(s.end),
      });
    }
  }
  return out.sort((a, b) => a.BeginOffset - b.BeginOffset);
}

/** Key phrases: compromise's noun phrases, without bare pronouns. */
export function detectKeyPhrasesLocal(text: string): LocalKeyPhrase[] {
  const toCp = codePointIndexer(text);
  const doc = nlp()(text);
  const nouns = doc.nouns().not('#Pronoun').json({ offset: true }) as Match[];
  return spans(text, nouns).map((s) => ({
    Text: text.slice(s.start, s.end),
    Score: 0.8,
    BeginOffset: toCp(s.start),
    EndOffset: toCp(s.end),
  }));
}

/**
 * Sentiment from the AFINN-165 lexicon. The opinion-word share of the tokens sets how far from NEUTRAL
 * the text is; positive against negative weight splits the rest, and balanced opposing weight is MIXED.
 */
export function detectSentimentLocal(text: string): LocalSentiment {
  const r = afinn().analyze(text);
  let pos = 0;
  let neg = 0;
  for (const c of r.calculation) {
    for (const v of Object.values(c)) {
      if (v > 0) pos += v;
      else neg -= v;
    }
  }
  const total = pos + neg;
  if (total === 0) {
    return { Sentiment: 'NEUTRAL', SentimentScore: { Positive: 0, Negative: 0, Neutral: 1, Mixed: 0 } };
  }
  const coverage = Math.min(1, (r.words.length / Math.max(1, r.tokens.length)) * 4);
  const mixedShare = (2 * Math.min(pos, neg)) / total;
  const score = {
    Positive: round(coverage * (pos / total) * (1 - mixedShare)),
    Negative: round(coverage * (neg / total) * (1 - mixedShare)),
    Neutral: round(1 - coverage),
    Mixed: round(coverage * mixedShare),
  };
  const [label] = (Object.entries(score) as Array<[keyof typeof score, number]>).sort(
    (a, b) => b[1] - a[1],
  )[0]!;
  return { Sentiment: label.toUpperCase() as SentimentType, SentimentScore: score };
}
