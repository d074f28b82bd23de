/**
 * Returns a converter from UTF-16 code unit offsets (JS string indices) to Unicode code point
 * offsets, which is what Comprehend reports. The prefix table is built once per text.
 */
export function codePointIndexer(text: string): (utf16Offset: number) => number {
  // Fast path: no surrogate pairs, so the two offset systems coincide.
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const table = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = cp;
    const c = text.charCodeAt(i);
    const isHighSurrogate = c >= 0xd800 && c <= 0xdbff;
    const next = text.charCodeAt(i + 1);
    if (isHighSurrogate && next >= 0xdc00 && next <= 0xdfff) {
      // The low surrogate shares its pair's code point index.
      table[i + 1] = cp;
      i++;
    }
    cp++;
  }
  table[text.length] = cp;
  return (i) => table[i] ?? cp;
}
