import type Nlp from 'compromise';
import { lazy } from '../lazy';
import type { DetectionSensitivity, RawMatch } from './types';

const compromise = lazy(() => require('compromise') as typeof Nlp);

/**
 * PERSON_NAME via compromise's part-of-speech tagger and its lexicon of first names,
 * surnames, places, organisations, months and weekdays. compromise proposes person chunks;
 * the rules below trade recall for per-cell precision because the column classifier decides
 * on the fraction of matching cells: a lone "Charlotte" or "Jordan" (cities, a country, a
 * brand) is not counted at LOW sensitivity, a first + last name or an honorific + name is.
 */

/** compromise .json({offset:true}) term shape (the library types it as any). */
interface Term {
  text: string;
  pre: string;
  post: string;
  tags: string[];
  offset: { start: number; length: number };
}
interface Sentence {
  terms: Term[];
}
interface PersonChunk {
  terms: Term[];
}

/**
 * Companies and brands named after people that compromise's lexicon does not already know
 * (it knows Wells Fargo, Goldman Sachs, Hewlett Packard, Ben & Jerry's …). Passed per call
 * rather than via nlp.addWords so the process-wide lexicon is left alone.
 */
const EPONYMOUS_ORGANIZATIONS: Record<string, string> = Object.fromEntries(
  [
    'morgan stanley',
    'charles schwab',
    'john deere',
    'harley davidson',
    'edward jones',
    'raymond james',
    'dean witter',
    'arthur andersen',
    'ernst young',
    'ralph lauren',
    'calvin klein',
    'tommy hilfiger',
    'louis vuitton',
    'kate spade',
    'estee lauder',
    'marks spencer',
    'dr pepper',
    'mr clean',
    'tim hortons',
    'ronald mcdonald house',
    'martha stewart living',
    'trader joes',
    'sams club',
  ].map((w) => [w, 'Organization']),
);

/**
 * Words that make a preceding or enclosing name a street, building or organisation
 * ("Martin Luther King Jr Blvd", "Abraham Lincoln High School", "John Smith Inc").
 */
const NON_PERSON_SUFFIXES = new Set([
  'street',
  'st',
  'avenue',
  'ave',
  'road',
  'rd',
  'boulevard',
  'blvd',
  'lane',
  'ln',
  'drive',
  'dr',
  'way',
  'highway',
  'hwy',
  'parkway',
  'pkwy',
  'court',
  'ct',
  'place',
  'pl',
  'square',
  'sq',
  'terrace',
  'circle',
  'plaza',
  'bridge',
  'tunnel',
  'park',
  'airport',
  'station',
  'county',
  'city',
  'inc',
  'corp',
  'corporation',
  'llc',
  'llp',
  'ltd',
  'co',
  'company',
  'group',
  'bank',
  'university',
  'college',
  'school',
  'academy',
  'hospital',
  'clinic',
  'foundation',
  'institute',
  'center',
  'centre',
  'holdings',
  'partners',
  'associates',
  'building',
  'hall',
  'museum',
  'church',
  'library',
  'stadium',
  'arena',
  'theatre',
  'theater',
  'hotel',
  'memorial',
  'trust',
  'fund',
  'capital',
  'ventures',
  'labs',
  'technologies',
  'systems',
  'solutions',
]);

/** Words that make a following name a place ("Santa Clara", "St. Louis", "Mount Vernon"). */
const PLACE_PREFIXES = new Set([
  'santa',
  'san',
  'st',
  'saint',
  'mount',
  'mt',
  'fort',
  'ft',
  'lake',
  'port',
  'cape',
  'los',
  'las',
  'el',
]);

const NON_PERSON_TAGS = [
  'Place',
  'Organization',
  'Date',
  'Month',
  'WeekDay',
  'Address',
  'Value',
  'Url',
  'Email',
];

const has = (t: Term, tag: string): boolean => t.tags.includes(tag);
const bare = (t: Term): string => t.text.toLowerCase().replace(/[^\p{L}]/gu, '');
const isCapitalised = (t: Term): boolean => /^\p{Lu}/u.test(t.text);
/** Only whitespace between two adjacent terms (no comma, period, dash …). */
const joinedBySpace = (a: Term, b: Term): boolean => /^\s*$/.test(a.post + b.pre);
/** Tags compromise gives any capitalised word it has no entry for. */
const onlyGenericNoun = (t: Term): boolean =>
  t.tags.every((g) => g === 'Noun' || g === 'Singular' || g === 'ProperNoun' || g === 'Person');

/** A capitalised plain word compromise has no entry for: possibly a name it does not know. */
const isUnknownName = (t: Term): boolean =>
  isCapitalised(t) && onlyGenericNoun(t) && /^\p{L}+$/u.test(t.text);

/** At least two letter-words: a LOW-sensitivity name needs two tokens, so skip the tagger otherwise. */
function wordCount(text: string, atLeast: number): boolean {
  let n = 0;
  for (const _ of text.matchAll(/\p{L}[\p{L}\p{M}'’]*/gu)) if (++n >= atLeast) return true;
  return false;
}

export function detectPersonNames(text: string, sensitivity: DetectionSensitivity): RawMatch[] {
  if (!wordCount(text, sensitivity === 'HIGH' ? 1 : 2)) return [];
  const doc = compromise()(text, EPONYMOUS_ORGANIZATIONS);
  const sentences = doc.json({ offset: true }) as Sentence[];
  const terms: Term[] = [];
  const sentenceOf: number[] = [];
  sentences.forEach((s, si) => {
    for (const t of s.terms) {
      terms.push(t);
      sentenceOf.push(si);
    }
  });
  const indexByStart = new Map(terms.map((t, i) => [t.offset.start, i]));

  // compromise person chunks as inclusive [first, last] term index ranges.
  const chunks: [number, number][] = [];
  for (const p of doc.people().json({ offset: true, terms: { offset: true } }) as PersonChunk[]) {
    const first = p.terms[0];
    const last = p.terms[p.terms.length - 1];
    if (!first || !last) continue;
    const i = indexByStart.get(first.offset.start);
    const j = indexByStart.get(last.offset.start);
    if (i !== undefined && j !== undefined) chunks.push([i, j]);
  }

  // Mixed-case text: names are capitalised, so lower-case chunks are common words.
  // All-lower or all-upper text ("smith, john", "JANE DOE") carries no case signal.
  const caseMatters = /\p{Lu}/u.test(text) && /\p{Ll}/u.test(text);
  const out: RawMatch[] = [];
  for (let c = 0; c < chunks.length; c++) {
    let [i, j] = chunks[c]!;
    // Whole hyphenated names: compromise can stop mid-word ("Kim Ji-" of "Kim Ji-woon").
    while (j + 1 < terms.length && terms[j]!.post.trim() === '-') j++;
    while (i > 0 && terms[i - 1]!.post.trim() === '-') i--;
    let score = 0.95;
    let detector = 'name-tagger';

    // "Smith, John": surname chunk, comma, first-name chunk → one name.
    const next = chunks[c + 1];
    if (
      i === j &&
      next &&
      next[0] === j + 1 &&
      terms[j]!.post.trim() === ',' &&
      has(terms[i]!, 'LastName') &&
      has(terms[j + 1]!, 'FirstName')
    ) {
      j = next[1];
      c++;
      detector = 'name-tagger:last-comma-first';
    }

    // A lexicon first name or surname next to a capitalised word compromise has no entry for
    // ("Hiroshi Tanaka", "Priya Patel", "Ng Wei"). In longer text a sentence-initial word is
    // capitalised anyway, so it does not count there.
    if (i === j && (has(terms[i]!, 'LastName') || has(terms[i]!, 'FirstName'))) {
      const shortText = terms.length <= 3;
      const prev = terms[i - 1];
      const nxt = terms[j + 1];
      const sentenceStart = i - 1 === 0 || sentenceOf[i - 2] !== sentenceOf[i - 1];
      if (prev && isUnknownName(prev) && joinedBySpace(prev, terms[i]!) && (shortText || !sentenceStart)) {
        i--;
        score = 0.75;
        detector = 'name-lexicon+unknown-word';
      } else if (
        nxt &&
        isUnknownName(nxt) &&
        joinedBySpace(terms[j]!, nxt) &&
        sentenceOf[j + 1] === sentenceOf[j]
      ) {
        j++;
        score = 0.75;
        detector = 'name-lexicon+unknown-word';
      }
    }

    const span = terms.slice(i, j + 1);
    const names = span.filter((t) => !has(t, 'Honorific'));
    const honorific = span.length > names.length;
    if (names.length === 0) continue;
    // Only word-initial parts must be capitalised ("Ji-woon" has a lower-case second part).
    if (
      caseMatters &&
      !names.every((t, k) => isCapitalised(t) || (k > 0 && names[k - 1]!.post.trim() === '-'))
    )
      continue;
    // Job titles: compromise tags "Engineer" in "Sr. Engineer" as a person (Actor).
    if (names.some((t) => has(t, 'Actor') && !has(t, 'FirstName') && !has(t, 'LastName'))) continue;
    if (PLACE_PREFIXES.has(bare(span[0]!))) continue;
    if (
      span.some(
        (t) =>
          NON_PERSON_TAGS.some((tag) => has(t, tag)) ||
          (NON_PERSON_SUFFIXES.has(bare(t)) && !has(t, 'Honorific')),
      )
    )
      continue;

    const after = terms[j + 1];
    if (after && sentenceOf[j + 1] === sentenceOf[j] && joinedBySpace(terms[j]!, after)) {
      if (NON_PERSON_SUFFIXES.has(bare(after)) || has(after, 'Organization') || has(after, 'Place')) continue;
    }
    const before = terms[i - 1];
    if (before && sentenceOf[i - 1] === sentenceOf[i] && /^[\s.]*$/.test(before.post + terms[i]!.pre)) {
      if (PLACE_PREFIXES.has(bare(before)) || has(before, 'Organization') || has(before, 'Place')) continue;
    }

    if (names.length < 2 && !honorific) {
      // A lone token is a first name at best and often a city, brand or surname-as-noun.
      if (sensitivity !== 'HIGH' || !has(names[0]!, 'FirstName')) continue;
      score = 0.6;
      detector = 'name-tagger:first-name';
    } else if (honorific && names.length === 1) {
      score = 0.85;
      detector = 'name-tagger:honorific';
    }

    const start = span[0]!.offset.start;
    const lastTerm = span[span.length - 1]!;
    out.push({
      entityType: 'PERSON_NAME',
      detector,
      start,
      end: lastTerm.offset.start + lastTerm.offset.length,
      score,
    });
  }
  return out;
}
