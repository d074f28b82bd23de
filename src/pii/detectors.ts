import { detectPersonNames } from './names';
import { detectPatterns } from './patterns';
import type { DetectedEntity, DetectedType, DetectionSensitivity, RawMatch } from './types';
import { codePointIndexer } from './unicode';

export interface DetectOptions {
  /** Report only these types (default: all supported). Unknown names are ignored. */
  entityTypes?: readonly string[];
  /** Glue's detectionSensitivity; default LOW. */
  sensitivity?: DetectionSensitivity;
  /** Regions whose national phone formats count (default: patterns-intl DEFAULT_PHONE_REGIONS). */
  phoneRegions?: readonly string[];
}

/**
 * When spans overlap the earlier type wins: validated, self-delimiting formats first (a URL after
 * the IPs it may hold, so a host stays an IP_ADDRESS), then context-gated numbers, then phone numbers (whose digit groups appear inside cards and
 * accounts), then street addresses and finally names (so "123 Martin Luther King Jr Blvd" is
 * an address and "john.smith@example.com" an email, not names).
 */
const PRIORITY: readonly DetectedType[] = [
  'EMAIL',
  'CREDIT_CARD',
  'USA_SSN',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'URL',
  'USA_PASSPORT_NUMBER',
  'BANK_ACCOUNT',
  'DATE_TIME',
  'DATE_OF_BIRTH',
  'PHONE_NUMBER',
  'ADDRESS',
  'PERSON_NAME',
];

function resolveOverlaps(matches: RawMatch[]): RawMatch[] {
  const ranked = [...matches].sort(
    (a, b) =>
      PRIORITY.indexOf(a.entityType) - PRIORITY.indexOf(b.entityType) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: RawMatch[] = [];
  for (const m of ranked) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Whether a letter lies outside every pattern match. A name holds letters and loses every overlap
 * (PRIORITY), so when the patterns cover all of them ("jane.doe@example.com") the tagger, the
 * costly part, cannot add anything and is skipped.
 */
function hasUncoveredLetter(text: string, matches: readonly RawMatch[]): boolean {
  if (matches.length === 0) return true;
  const LETTER = /\p{L}/gu;
  for (let m = LETTER.exec(text); m !== null; m = LETTER.exec(text)) {
    const at = m.index;
    if (!matches.some((p) => p.start <= at && at < p.end)) return true;
  }
  return false;
}

/**
 * The types whose matches can decide what is reported for the wanted ones: those ranked up to the
 * last wanted type. A match only ever removes lower-ranked overlaps, so a detector ranked after
 * every wanted type cannot change the result and is not run (a MAC_ADDRESS column skips the phone,
 * address and name passes).
 */
function deciding(wanted: ReadonlySet<string>): ReadonlySet<DetectedType> {
  const last = Math.max(...PRIORITY.map((t, i) => (wanted.has(t) ? i : -1)));
  return new Set(PRIORITY.slice(0, last + 1));
}

/**
 * Finds PII entities in one value (a cell or a free-text document). Spans are non-overlapping,
 * sorted, in Unicode code points with an exclusive end. Every detector ranked up to the last
 * requested type runs, so overlaps resolve the same whichever types are requested; the name
 * tagger, ranked last, runs only when PERSON_NAME is requested.
 */
export function detectEntities(text: string, opts: DetectOptions = {}): DetectedEntity[] {
  const sensitivity = opts.sensitivity ?? 'LOW';
  const wanted = opts.entityTypes ? new Set(opts.entityTypes) : undefined;
  const matches = detectPatterns(text, sensitivity, opts.phoneRegions, wanted && deciding(wanted));
  if ((!wanted || wanted.has('PERSON_NAME')) && hasUncoveredLetter(text, matches))
    matches.push(...detectPersonNames(text, sensitivity));
  const toCodePoint = codePointIndexer(text);
  return resolveOverlaps(matches)
    .filter((m) => !wanted || wanted.has(m.entityType))
    .map((m) => ({
      entityType: m.entityType,
      detector: m.detector,
      start: toCodePoint(m.start),
      end: toCodePoint(m.end),
      score: m.score,
    }));
}

/** The set of entity types present in a value (what column classification counts). */
export function entityTypesIn(text: string, opts: DetectOptions = {}): Set<DetectedType> {
  return new Set(detectEntities(text, opts).map((e) => e.entityType));
}
