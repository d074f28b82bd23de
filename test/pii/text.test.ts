import { UnsupportedLanguageException } from '@aws-sdk/client-comprehend';
import { detectPiiEntities, MAX_TEXT_BYTES, TextSizeLimitExceededError } from '../../src/pii/text';

/** Slice by code points, as a Comprehend client in any language would. */
const cut = (text: string, begin: number, end: number) => Array.from(text).slice(begin, end).join('');

describe('detectPiiEntities (Comprehend DetectPiiEntities shape)', () => {
  test('returns Entities with BeginOffset, EndOffset (exclusive), Score and Comprehend type names', () => {
    const text = 'please call John Smith at 555-123-4567 or mail john@example.com';
    const { Entities } = detectPiiEntities(text, 'en');
    expect(Entities.map((e) => [e.Type, cut(text, e.BeginOffset, e.EndOffset)])).toEqual([
      ['NAME', 'John Smith'],
      ['PHONE', '555-123-4567'],
      ['EMAIL', 'john@example.com'],
    ]);
    for (const e of Entities) {
      expect(e.Score).toBeGreaterThan(0);
      expect(e.Score).toBeLessThanOrEqual(1);
    }
  });

  test('emoji before a name keeps the offset in code points', () => {
    const text = '👋🏽 hi Jane Doe';
    const { Entities } = detectPiiEntities(text, 'en');
    // 👋🏽 is two code points (four UTF-16 units), so "Jane" starts at code point 6, not 8.
    expect(Entities).toEqual([{ Type: 'NAME', BeginOffset: 6, EndOffset: 14, Score: expect.any(Number) }]);
    expect(cut(text, 6, 14)).toBe('Jane Doe');
  });

  test('astral characters inside and between entities are counted once each', () => {
    const text = '𝒜 ssn 123-45-6789 𝒜 card 4111 1111 1111 1111';
    const { Entities } = detectPiiEntities(text, 'en');
    expect(
      Entities.map((e) => [e.Type, e.BeginOffset, e.EndOffset, cut(text, e.BeginOffset, e.EndOffset)]),
    ).toEqual([
      ['SSN', 6, 17, '123-45-6789'],
      ['CREDIT_DEBIT_NUMBER', 25, 44, '4111 1111 1111 1111'],
    ]);
  });

  test('maps every local entity type to its Comprehend name', () => {
    const text =
      'SSN 123-45-6789, 10.1.2.3, 00:1A:2B:3C:4D:5E, passport 123456789, acct 000123456789, 42 Elm Street, Dr. Ada Lovelace';
    expect(detectPiiEntities(text, 'en').Entities.map((e) => e.Type)).toEqual([
      'SSN',
      'IP_ADDRESS',
      'MAC_ADDRESS',
      'PASSPORT_NUMBER',
      'BANK_ACCOUNT_NUMBER',
      'ADDRESS',
      'NAME',
    ]);
  });

  test('Spanish is accepted', () => {
    expect(detectPiiEntities('Escríbeme a ana@example.es', 'es').Entities.map((e) => e.Type)).toEqual([
      'EMAIL',
    ]);
  });

  test('text without PII returns an empty Entities list', () => {
    expect(detectPiiEntities('Seattle in January', 'en')).toEqual({ Entities: [] });
  });

  test.each(['fr', 'de', 'ja', 'EN', ''])('language %p throws UnsupportedLanguageException', (lang) => {
    let err: unknown;
    try {
      detectPiiEntities('Jane Doe', lang);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedLanguageException);
    expect(err).toMatchObject({ name: 'UnsupportedLanguageException', $fault: 'client' });
    expect((err as Error).message).toContain(`'${lang}'`);
  });

  test('text over 100 KB of UTF-8 throws TextSizeLimitExceededException', () => {
    // 'é' is two UTF-8 bytes: under the limit in UTF-16 units, over it in bytes.
    const text = 'é'.repeat(MAX_TEXT_BYTES / 2 + 1);
    expect(() => detectPiiEntities(text, 'en')).toThrow(TextSizeLimitExceededError);
    expect(() => detectPiiEntities(text, 'en')).toThrow(
      expect.objectContaining({ name: 'TextSizeLimitExceededException' }),
    );
  });
});
