// The PERSON_NAME detector's word lists load from the build's artifact (dist/pii-lexicon.bin, made by
// jest's global setup) only when that artifact was derived as the code derives them now.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths';
import {
  deriveLexicon,
  type Lexicon,
  loadLexicon,
  readLexiconFile,
  writeLexiconFile,
} from '../../src/pii/lexicon-sources';
import { WordList } from '../../src/pii/word-list';
import { tempDir } from '../local/helpers';

// Each list as a digest of its bytes and offsets: jest's deep equality walks a typed array element by
// element, ~9 s of CPU for the lexicon's millions.
const serialized = (lexicon: Lexicon) =>
  Object.fromEntries(
    Object.entries(lexicon).map(([name, list]) => {
      const { bytes, starts } = list.serialize();
      const digest = createHash('sha256').update(bytes).update(starts);
      return [name, `${starts.length} words, ${digest.digest('hex')}`];
    }),
  );

describe('word lists', () => {
  test('a word list holds exactly its words: no prefix, extension, other case or empty word', () => {
    const list = WordList.of(['müller', 'smith', 'lee', 'smith', 'o’brien', 'zoë']);
    for (const w of ['lee', 'müller', 'o’brien', 'smith', 'zoë']) expect(list.has(w)).toBe(true);
    for (const w of ['', 'le', 'leee', 'smit', 'smiths', 'Smith', 'a', 'zzz', 'muller', '\n'])
      expect(list.has(w)).toBe(false);
    expect(WordList.of([]).has('smith')).toBe(false);
    expect(WordList.parse(list.serialize()).has('zoë')).toBe(true);
  });

  test('a word holding a newline is refused', () => {
    expect(() => WordList.of(['van\nder'])).toThrow(/newline/);
  });
});

describe('the name lexicon', () => {
  const derived = deriveLexicon();

  test('the build artifact holds the lists as derived from the packages', () => {
    expect(serialized(loadLexicon())).toEqual(serialized(derived));
    expect(derived.knownNames.has('smith')).toBe(true);
    expect(derived.givenNames.has('charlotte')).toBe(true);
    expect(derived.placeWords.has('madrid')).toBe(true);
  });

  test('an artifact derived under another key is not used: the lists are derived again', () => {
    const tmp = tempDir('autogov-lexicon-');
    try {
      const artifact = readLexiconFile(join(PACKAGE_ROOT, 'dist', 'pii-lexicon.bin'));
      expect(artifact).toBeDefined();
      const file = join(tmp.dir, 'pii-lexicon.bin');
      const emptied = { ...artifact!.lists, knownNames: WordList.of([]).serialize() };
      writeLexiconFile(file, artifact!.key, emptied);
      expect(loadLexicon(file).knownNames.has('smith')).toBe(false); // the same key: used as stored
      writeLexiconFile(file, `${artifact!.key}-stale`, emptied);
      expect(serialized(loadLexicon(file))).toEqual(serialized(derived));
      // A damaged artifact (cut short) is not used either.
      writeFileSync(file, Buffer.from(`{"key":"${artifact!.key}","sizes":[[1,2]]}\nab`, 'latin1'));
      expect(serialized(loadLexicon(file))).toEqual(serialized(derived));
    } finally {
      tmp.cleanup();
    }
  });
});
