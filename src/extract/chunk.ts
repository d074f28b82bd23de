// Splits text to a Comprehend API's UTF-8 byte limit and maps per-chunk offsets back to the whole
// text. Comprehend's offsets are Unicode code points, so every offset here is a code point offset.

/** Per-call UTF-8 byte limits of Comprehend's real-time APIs. */
export const COMPREHEND_BYTE_LIMITS = {
  DetectDominantLanguage: 100 * 1024,
  DetectPiiEntities: 100 * 1024,
  DetectEntities: 100 * 1024,
  DetectKeyPhrases: 100 * 1024,
  DetectSentiment: 5 * 1024,
} as const;

export type ComprehendOperation = keyof typeof COMPREHEND_BYTE_LIMITS;

export interface TextChunk {
  text: string;
  /** Code point offset of the chunk's first character in the whole text. */
  offset: number;
  /** UTF-8 size of `text` (≤ the limit it was cut for). */
  bytes: number;
}

const utf8Len = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
const isSpace = (c: string) => /\s/u.test(c);
const SENTENCE_END = /[.!?。！？…]/u;

/**
 * Splits `text` into chunks of at most `maxBytes` UTF-8 bytes. A cut goes after the last sentence end
 * followed by whitespace in the window, else at the last whitespace, else (one very long word) at a
 * code point boundary — never inside a surrogate pair. Chunks are contiguous: concatenated they give
 * back `text`, so an entity that straddles a cut is lost only when no boundary was available.
 */
export function chunkText(text: string, maxBytes: number): TextChunk[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) throw new RangeError('maxBytes must be an integer ≥ 4');
  const cps = Array.from(text);
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < cps.length) {
    let bytes = 0;
    let end = start;
    let lastSentence = -1;
    let lastSpace = -1;
    while (end < cps.length) {
      const c = cps[end]!;
      const size = utf8Len(c.codePointAt(0)!);
      if (bytes + size > maxBytes) break;
      bytes += size;
      end++;
      // A cut "after index end" keeps the whitespace with the earlier chunk.
      if (isSpace(c)) {
        lastSpace = end;
        if (end - 2 >= start && SENTENCE_END.test(cps[end - 2]!)) lastSentence = end;
      }
    }
    let cut = end;
    if (end < cps.length) {
      if (lastSentence > start) cut = lastSentence;
      else if (lastSpace > start) cut = lastSpace;
    }
    const piece = cps.slice(start, cut).join('');
    chunks.push({ text: piece, offset: start, bytes: Buffer.byteLength(piece, 'utf8') });
    start = cut;
  }
  return chunks;
}

/** Shifts chunk-relative BeginOffset/EndOffset by the chunk's code point offset. */
export function shiftOffsets<E extends { BeginOffset?: number; EndOffset?: number }>(
  entities: E[],
  offset: number,
): E[] {
  return entities.map((e) => ({
    ...e,
    BeginOffset: e.BeginOffset === undefined ? undefined : e.BeginOffset + offset,
    EndOffset: e.EndOffset === undefined ? undefined : e.EndOffset + offset,
  }));
}

/**
 * Runs `detect` per chunk (sequentially: the service throttles) and returns every entity with
 * offsets in code points of the whole text.
 */
export async function detectInChunks<E extends { BeginOffset?: number; EndOffset?: number }>(
  text: string,
  maxBytes: number,
  detect: (chunk: string) => Promise<E[]> | E[],
): Promise<E[]> {
  const out: E[] = [];
  for (const chunk of chunkText(text, maxBytes)) {
    if (!chunk.text.trim()) continue;
    out.push(...shiftOffsets(await detect(chunk.text), chunk.offset));
  }
  return out;
}

/** The substring between two code point offsets (what Comprehend's offsets designate). */
export function sliceCodePoints(text: string, begin: number, end: number): string {
  return Array.from(text).slice(begin, end).join('');
}
