import { analyzeText } from '../../src/extract/analyze';
import { chunkText, detectInChunks, sliceCodePoints } from '../../src/extract/chunk';
import { LocalComprehend } from '../../src/local/comprehend';
import { detectPiiEntities } from '../../src/pii/text';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

describe('chunkText', () => {
  const text =
    'Résumé of José Núñez 😀. He lives in Zürich and writes to jose.nunez@example.com daily! ' +
    'Ça va? 👩‍👩‍👧 Family emoji here. Last sentence without end';

  it('never exceeds the byte limit and loses nothing', () => {
    for (const max of [8, 17, 40, 64, 100, 1000]) {
      const chunks = chunkText(text, max);
      expect(chunks.map((c) => c.text).join('')).toBe(text);
      for (const c of chunks) {
        expect(c.bytes).toBeLessThanOrEqual(max);
        expect(c.bytes).toBe(utf8(c.text));
        // Code point offsets: slicing the whole text at the offset gives the chunk back.
        expect(sliceCodePoints(text, c.offset, c.offset + Array.from(c.text).length)).toBe(c.text);
        // No lone surrogates.
        expect(c.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      }
    }
  });

  it('cuts after sentence ends, else at whitespace', () => {
    const chunks = chunkText(text, 100);
    expect(chunks[0]!.text).toBe(
      'Résumé of José Núñez 😀. He lives in Zürich and writes to jose.nunez@example.com daily! ',
    );
    expect(chunkText('aaaa bbbb cccc', 10).map((c) => c.text)).toEqual(['aaaa bbbb ', 'cccc']);
    expect(chunkText('abcdefghij', 4).map((c) => c.text)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('rejects limits that cannot hold a code point', () => {
    expect(() => chunkText('x', 3)).toThrow(RangeError);
  });
});

describe('offsets mapped back to the whole text', () => {
  const sentence = (i: number) => `Entry ${i} 😀 for Olivia Bennett ✉ olivia${i}@example.com — café. `;
  const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join('');

  it('detectInChunks gives the same entities as one call over the whole text', async () => {
    const whole = detectPiiEntities(text, 'en').Entities;
    const chunked = await detectInChunks(text, 300, (chunk) => detectPiiEntities(chunk, 'en').Entities);
    expect(chunked).toEqual(whole);
    const emails = chunked.filter((e) => e.Type === 'EMAIL');
    expect(emails).toHaveLength(40);
    emails.forEach((e, i) => {
      expect(sliceCodePoints(text, e.BeginOffset!, e.EndOffset!)).toBe(`olivia${i}@example.com`);
    });
  });

  it('analyzeText chunks per API limit (sentiment at 5 KB) and keeps code point offsets', async () => {
    const long = `${'I love this wonderful product. '.repeat(200)}Contact Liam Carter 👍🏽 at liam.carter@example.net please.`;
    expect(utf8(long)).toBeGreaterThan(5 * 1024);
    const comprehend = new LocalComprehend();
    const calls: number[] = [];
    const spy = {
      ...comprehend,
      detectDominantLanguage: comprehend.detectDominantLanguage.bind(comprehend),
      detectPiiEntities: comprehend.detectPiiEntities.bind(comprehend),
      detectEntities: comprehend.detectEntities.bind(comprehend),
      detectKeyPhrases: comprehend.detectKeyPhrases.bind(comprehend),
      detectSentiment: async (input: Parameters<LocalComprehend['detectSentiment']>[0]) => {
        calls.push(utf8(input.Text!));
        return comprehend.detectSentiment(input);
      },
    };
    const r = await analyzeText(spy, long);
    expect(r.languageCode).toBe('en');
    expect(calls.length).toBeGreaterThan(1);
    expect(Math.max(...calls)).toBeLessThanOrEqual(5 * 1024);
    expect(r.sentiment?.Sentiment).toBe('POSITIVE');
    const email = r.piiEntities.find((e) => e.Type === 'EMAIL')!;
    expect(sliceCodePoints(long, email.BeginOffset!, email.EndOffset!)).toBe('liam.carter@example.net');
    const person = r.entities.find((e) => e.Type === 'PERSON')!;
    expect(sliceCodePoints(long, person.BeginOffset!, person.EndOffset!)).toBe(person.Text);
    expect(r.codePoints).toBe(Array.from(long).length);
  });

  it('records PII as skipped for a language Comprehend PII does not support', async () => {
    const r = await analyzeText(
      new LocalComprehend(),
      'Sehr geehrte Damen und Herren, wir bestätigen den Eingang Ihrer Bestellung und danken Ihnen.',
    );
    expect(r.languageCode).toBe('de');
    expect(r.piiEntities).toEqual([]);
    expect(r.skipped.map((s) => s.operation)).toEqual([
      'DetectPiiEntities',
      'DetectEntities',
      'DetectKeyPhrases',
      'DetectSentiment',
    ]);
    expect(r.skipped[0]!.reason).toContain("'de' is not supported");
    expect(r.skipped[1]!.reason).toContain('not by the local engine');
  });

  it('returns an empty analysis for blank text without calling the service', async () => {
    const r = await analyzeText(new LocalComprehend(), '  \n ');
    expect(r).toMatchObject({ languages: [], piiEntities: [], skipped: [] });
  });
});
