/**
 * A set of words held as UTF-8 bytes, sorted bytewise and joined by newlines, with the offset of each
 * word, looked up by binary search: a list of 200,000 names loads from the build's artifact as two
 * views of the bytes read, with no string decoded or hashed into a Set (a Set took a quarter of a
 * second a process, decoding ~70 ms), and a lookup costs ~18 comparisons.
 */
export interface SerializedWordList {
  /** The words, UTF-8, sorted bytewise, each ended by a newline. */
  bytes: Buffer;
  /** Where each word starts in `bytes`, and `bytes.length` last. */
  starts: Uint32Array;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

export class WordList {
  private constructor(private readonly list: SerializedWordList) {}

  /** From words in any order, duplicates allowed; a word must not hold a newline. */
  static of(words: Iterable<string>): WordList {
    const unique = [...new Set(words)];
    if (unique.some((w) => w.includes('\n') || w === ''))
      throw new Error('a word list entry is empty or holds a newline');
    const sorted = unique.map((w) => Buffer.from(`${w}\n`, 'utf8')).sort(Buffer.compare);
    const starts = new Uint32Array(sorted.length + 1);
    for (let i = 0; i < sorted.length; i++) starts[i + 1] = starts[i]! + sorted[i]!.length;
    return new WordList({ bytes: Buffer.concat(sorted), starts });
  }

  /** From `serialize()`'s output (not copied). */
  static parse(list: SerializedWordList): WordList {
    return new WordList(list);
  }

  serialize(): SerializedWordList {
    return this.list;
  }

  has(word: string): boolean {
    const { bytes, starts } = this.list;
    if (word.length * 3 > scratch.length) scratch = new Uint8Array(word.length * 3);
    const { written } = encoder.encodeInto(word, scratch);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareWord(bytes, starts[mid]!, starts[mid + 1]! - 1, scratch, written);
      if (order === 0) return true;
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }
}

/** bytes[start, end) against key[0, length), bytewise: < 0, 0 or > 0 (a word is a few bytes: no native call). */
function compareWord(bytes: Uint8Array, start: number, end: number, key: Uint8Array, length: number): number {
  const n = Math.min(end - start, length);
  for (let i = 0; i < n; i++) {
    const d = bytes[start + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return end - start - length;
}
