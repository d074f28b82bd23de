/**
 * A set of words held as one string, sorted and joined by newlines, looked up by binary search: a
 * list of 200,000 names loads as a single string instead of 200,000 strings hashed into a Set
 * (a quarter of a second a process), and a lookup costs ~18 comparisons.
 */
export class WordList {
  private constructor(private readonly text: string) {}

  /** From words in any order, duplicates allowed; a word must not hold a newline. */
  static of(words: Iterable<string>): WordList {
    const sorted = [...new Set(words)].sort();
    if (sorted.some((w) => w.includes('\n') || w === ''))
      throw new Error('a word list entry is empty or holds a newline');
    return new WordList(sorted.join('\n'));
  }

  /** From `serialize()`'s output. */
  static parse(text: string): WordList {
    return new WordList(text);
  }

  serialize(): string {
    return this.text;
  }

  has(word: string): boolean {
    const text = this.text;
    // [lo, hi) holds whole lines (lo is a line start); each step halves it around one line.
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = text.lastIndexOf('\n', mid - 1) + 1;
      const next = text.indexOf('\n', start);
      const end = next === -1 ? text.length : next;
      const line = text.slice(start, end);
      if (line === word) return true;
      if (line < word) lo = end + 1;
      else hi = start;
    }
    return false;
  }
}
