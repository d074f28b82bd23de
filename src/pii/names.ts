import {
  CALENDAR_WORDS,
  COMPANY_WORDS,
  COMPASS_WORDS,
  EPONYMOUS_ORGANIZATIONS,
  FACILITY_WORDS,
  FUNCTION_WORDS,
  HONORIFICS,
  PARTICLES,
  PERSON_CONTEXT,
  PLACE_PREFIXES,
  STREET_COMPOUND_END,
  STREET_PREFIXES,
  STREET_SUFFIXES,
} from './name-evidence';
import {
  isCommonWord,
  isGivenName,
  isJobWord,
  isKnownName,
  isLexiconName,
  isOrganizationWord,
  isPlaceWord,
  mayBeNamePart,
} from './name-lexicon';
import { detectCjkNames } from './names-cjk';
import type { DetectionSensitivity, RawMatch } from './types';

/**
 * PERSON_NAME in Latin-script text: runs of capitalised words joined by single spaces, each word
 * looked up in public given-name and name lists and a common-word list (name-lexicon.ts), then
 * checked against negative evidence (streets, companies, facilities, places: name-evidence.ts).
 * At LOW sensitivity a name needs two name words (or a courtesy title and one); HIGH also takes a
 * lone given name. CJK names come from names-cjk.ts.
 */

interface Token {
  /** UTF-16 offsets of the word, possessive "'s" excluded. */
  start: number;
  end: number;
  text: string;
  /** Lower-cased, trailing period dropped. */
  key: string;
  /** What separates this token from the next one. */
  after: string;
  /** All capitals in mixed-case text: an acronym or code ("IBAN", "VA"), not a name. */
  acronym: boolean;
}

/** How much a word looks like part of a name. */
enum Score {
  /** Common word, calendar word or negative evidence: ends a name. */
  None = 0,
  /** A capitalised word no list knows ("Savion", "Impala"). */
  Unknown = 1,
  /** A name that is also a common word ("Baker", "Rose", "Globe"): only next to a strong one. */
  Common = 2,
  /** A given name, or a name no dictionary lists as a word ("Pacocha", "Kaul"). */
  Strong = 3,
}

const WORD_RE = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*\.?/gu;
const CJK_RE = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const POSSESSIVE_RE = /['’]s$/u;

function tokenize(text: string, caseless: boolean): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    let raw = m[0];
    if (CJK_RE.test(raw)) continue;
    const bare = raw.toLowerCase().replace(/\.$/, '');
    // A period belongs to initials and titles ("F.", "Dr."), not to the word ending a sentence.
    if (raw.endsWith('.') && bare.length > 1 && !HONORIFICS.has(bare)) raw = raw.slice(0, -1);
    if (POSSESSIVE_RE.test(raw)) raw = raw.slice(0, -2);
    const start = m.index;
    tokens.push({
      start,
      end: start + raw.length,
      text: raw,
      key: raw.toLowerCase().replace(/\.$/, ''),
      after: '',
      acronym: !caseless && raw.length > 1 && /^\p{Lu}+$/u.test(raw),
    });
  }
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    tokens[i]!.after = text.slice(tokens[i]!.end, next ? next.start : text.length);
  }
  return tokens;
}

const isInitial = (t: Token) => /^\p{Lu}\.?$/u.test(t.text);
const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.text);

function wordScore(w: string): Score {
  if (CALENDAR_WORDS.has(w) || PERSON_CONTEXT.has(w) || FUNCTION_WORDS.has(w)) return Score.None;
  const name = isGivenName(w) || isKnownName(w);
  if (!isCommonWord(w)) return name ? Score.Strong : Score.Unknown;
  return name && mayBeNamePart(w) ? Score.Common : Score.None;
}

/** Hyphenated names score as their weakest part ("Dibbert-Collins", but not "Goodwin-upon-Kilback"). */
function tokenScore(t: Token): Score {
  if (t.acronym) return Score.None;
  const parts = t.key.split(/['’-]/u).filter((p) => p.length > 1);
  if (parts.length === 0) return Score.Unknown;
  // O'Reilly, D'Angelo: the part after the apostrophe carries the name.
  const scores = parts.map(wordScore);
  return Math.min(...scores) as Score;
}

/** English courtesy titles: unambiguous, unlike "Sr." (Senior or Señor). */
const COURTESY_TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof']);

const lastPart = (t: Token) => t.key.split('-').pop() ?? t.key;

/** Legal forms written with periods, which the word tokenizer splits ("S.A.", "S.p.A.", "B.V."). */
const DOTTED_LEGAL_FORM =
  /^[\s,]*(?:S\.\s?A\.|S\.p\.A\.|S\.A\.S\.|S\.L\.|S\.r\.l\.|B\.V\.|N\.V\.|A\.G\.|K\.K\.|e\.V\.|L\.L\.C\.|P\.C\.|Cía\.)/u;

/**
 * Street, company, facility or place evidence for the name [start, end] inside the capitalised
 * run [i, j] ("Indira Gandhi Concert Hall" is a facility even though "Concert" ends the name).
 */
function negativeEvidence(
  text: string,
  tokens: Token[],
  run: { i: number; j: number },
  start: number,
  end: number,
  personContext: boolean,
): boolean {
  const whole = tokens.slice(run.i, run.j + 1);
  const name = tokens.slice(start, end + 1);
  if (EPONYMOUS_ORGANIZATIONS.has(name.map((t) => t.key.replace(/\W/gu, '')).join('_'))) return true;
  if (whole.some((t) => COMPANY_WORDS.has(t.key) || FACILITY_WORDS.has(t.key) || isPlaceWord(t.key)))
    return true;
  if (DOTTED_LEGAL_FORM.test(text.slice(tokens[run.j]!.end))) return true;
  if (DOTTED_LEGAL_FORM.test(text.slice(tokens[end]!.end))) return true;
  if (whole.some((t) => STREET_COMPOUND_END.test(t.key) && t.key.length > 5)) return true;
  if (PLACE_PREFIXES.has(name[0]!.key) || STREET_PREFIXES.has(name[0]!.key)) return true;
  if (whole.some((t, k) => PARTICLES.has(t.key) && COMPASS_WORDS.has(whole[k + 1]?.key ?? ''))) return true;
  // A brand first is a product ("Honda Civic"); a brand last may be a surname ("François Dupont").
  if (isOrganizationWord(name[0]!.key) && !isGivenName(name[0]!.key)) return true;
  const next = tokens[end + 1];
  // "& Söhne", "Johnson & Johnson": company forms after a name.
  if (next && /^\s*&\s*$/.test(tokens[end]!.after)) return true;
  const prev = tokens[start - 1];
  const joinedPrev = prev && /^[ \u00a0]$/.test(prev.after);
  if (joinedPrev && (STREET_PREFIXES.has(prev.key) || PLACE_PREFIXES.has(prev.key))) return true;
  // Street suffixes are also surnames (Lane, Hill, Wells): a person context outweighs them.
  if (personContext) return false;
  if (STREET_SUFFIXES.has(lastPart(name[name.length - 1]!))) return true;
  // "Martin Luther King Boulevard": the run ends in a street type even though "King" ends the name.
  if (STREET_SUFFIXES.has(lastPart(whole[whole.length - 1]!))) return true;
  return Boolean(next && end + 1 <= run.j && STREET_SUFFIXES.has(next.key));
}

function hasPersonContext(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return Boolean(prev && /^[\s:,]+$/.test(prev.after) && PERSON_CONTEXT.has(prev.key));
}

/** Tokens i and i+1 belong to one run: a single space, or an initial's period and a space. */
const joined = (tokens: Token[], i: number) => /^[ \u00a0]$/.test(tokens[i]!.after);

export function detectPersonNames(text: string, sensitivity: DetectionSensitivity): RawMatch[] {
  const out: RawMatch[] = [...detectCjkNames(text)];
  if (!/\p{L}/u.test(text)) return out;
  // All-lower or all-upper text ("smith, john", "JANE DOE") carries no case signal.
  const caseless = !(/\p{Lu}/u.test(text) && /\p{Ll}/u.test(text));
  const tokens = tokenize(text, caseless);
  if (tokens.length === 0) return out;
  const candidate = (t: Token) => caseless || isCapitalised(t) || PARTICLES.has(t.key);

  let i = 0;
  while (i < tokens.length) {
    if (!candidate(tokens[i]!) || PARTICLES.has(tokens[i]!.key)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && joined(tokens, j) && candidate(tokens[j + 1]!)) j++;
    const match = nameInRun(text, tokens, i, j, sensitivity, caseless);
    if (match) out.push(match.raw);
    i = match ? match.next : j + 1;
  }
  return out;
}

/** The best name inside the run [i, j], or none; `next` is where scanning resumes. */
function nameInRun(
  text: string,
  tokens: Token[],
  i: number,
  j: number,
  sensitivity: DetectionSensitivity,
  caseless: boolean,
): { raw: RawMatch; next: number } | undefined {
  // Leading greetings and sentence-initial common words are not part of the name.
  let start = i;
  while (start <= j && !HONORIFICS.has(tokens[start]!.key) && tokenScore(tokens[start]!) === Score.None)
    start++;
  if (start > j) return undefined;

  // "Smith, John" / "O'Brien, Patrick": a lone surname, a comma, a given name, and nothing else.
  const next = tokens[start + 1];
  if (
    start === j &&
    next &&
    tokens.length === 2 &&
    /^, ?$/.test(tokens[start]!.after) &&
    isGivenName(next.key) &&
    (caseless || isCapitalised(next)) &&
    tokenScore(tokens[start]!) !== Score.None &&
    !negativeEvidence(text, tokens, { i, j: start + 1 }, start, start + 1, false)
  )
    return {
      raw: match(tokens[start]!.start, next.end, 0.8, 'name-lists:last-comma-first'),
      next: start + 2,
    };

  const honorific = HONORIFICS.has(tokens[start]!.key);
  let k = honorific ? start + 1 : start;
  const parts: Token[] = [];
  let strong = 0;
  while (k <= j) {
    const t = tokens[k]!;
    const inner = k < j;
    if ((PARTICLES.has(t.key) || isInitial(t)) && parts.length > 0 && inner) {
      k++;
      continue;
    }
    // After a title any capitalised word is the surname ("Mr. Bond"); a job word too when it is also
    // a surname and the title is an English courtesy one ("Prof. Cook", "Mrs Baker"; not
    // "Madam President", nor "Sr. Engineer", where Sr. is Senior).
    const titled =
      honorific &&
      parts.length === 0 &&
      isCapitalised(t) &&
      !FUNCTION_WORDS.has(t.key) &&
      (!isJobWord(t.key) || (isKnownName(t.key) && COURTESY_TITLES.has(tokens[start]!.key)));
    const s = titled ? Score.Strong : tokenScore(t);
    if (s === Score.None || HONORIFICS.has(t.key) || (isInitial(t) && !inner)) break;
    // Caseless text: a given name first, then name words, no common words ("jamar wiza", not "… lol").
    if (caseless) {
      if (parts.length === 0 && (s !== Score.Strong || !isGivenName(t.key))) break;
      if (parts.length > 1 && s !== Score.Strong) break;
    }
    parts.push(t);
    if (s === Score.Strong) strong++;
    k++;
  }
  if (parts.length === 0) return undefined;
  const end = tokens.indexOf(parts[parts.length - 1]!);
  const context = honorific || hasPersonContext(tokens, start);

  // Two names that are also words ("Bob Lee") count when the lexicon lists both as names.
  const named = strong >= 1 || parts.every((t) => isLexiconName(t.key));
  const enough =
    (parts.length >= 2 && (named || context)) ||
    honorific ||
    (sensitivity === 'HIGH' && parts.length === 1 && isGivenName(parts[0]!.key));
  if (!enough) return undefined;
  if (negativeEvidence(text, tokens, { i, j }, start, end, context)) return undefined;
  // A quoted title ("Eugene Onegin") is a work, not a person.
  if (/["“«„]$/u.test(text.slice(0, tokens[start]!.start))) return undefined;
  const score = parts.length === 1 && !honorific ? 0.6 : strong >= 2 ? 0.95 : strong === 1 ? 0.85 : 0.7;
  const detector =
    parts.length === 1
      ? honorific
        ? 'name-lists:honorific'
        : 'name-lists:given-name'
      : named
        ? 'name-lists'
        : 'name-lists:context';
  return { raw: match(tokens[start]!.start, tokens[end]!.end, score, detector), next: end + 1 };
}

const match = (start: number, end: number, score: number, detector: string): RawMatch => ({
  entityType: 'PERSON_NAME',
  start,
  end,
  score,
  detector,
});

/**
 * A cell that is a name on its own, as a name column holds them: one to four name words, no
 * digits, nothing that makes it a street, company or place ("Jürgen", "Schwarzkopf",
 * "Trường An Trần", "堀"). Used with a column-name signal (column-signal.ts), never alone.
 */
export function isNameShaped(value: string): boolean {
  const v = value.trim();
  if (
    /^[\p{Script=Han}\p{Script=Hangul}]{1,4}(?:[ \u3000][\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,4})?$/u.test(
      v,
    )
  )
    return true;
  if (v.length === 0 || v.length > 60 || /[\d@/#]/.test(v)) return false;
  const caseless = !(/\p{Lu}/u.test(v) && /\p{Ll}/u.test(v));
  const tokens = tokenize(v, caseless);
  const words = tokens.filter((t) => !PARTICLES.has(t.key) && !isInitial(t));
  if (words.length === 0 || words.length > 4) return false;
  if (negativeEvidence(v, tokens, { i: 0, j: tokens.length - 1 }, 0, tokens.length - 1, false)) return false;
  return (
    words.every((t) => tokenScore(t) !== Score.None) && words.some((t) => tokenScore(t) !== Score.Common)
  );
}
