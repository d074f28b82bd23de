import {
  InvalidRequestException,
  TextSizeLimitExceededException,
  UnsupportedLanguageException,
} from '@aws-sdk/client-comprehend';
import { sliceCodePoints } from '../../src/extract/chunk';
import type { ComprehendPort } from '../../src/extract/ports';
import { LocalComprehend } from '../../src/local/comprehend';

const comprehend: ComprehendPort = new LocalComprehend();

describe('LocalComprehend', () => {
  it('DetectDominantLanguage ranks languages with scores', async () => {
    const en = await comprehend.detectDominantLanguage({
      Text: 'It is raining today in Seattle and the streets are wet.',
    });
    expect(en.Languages![0]).toMatchObject({ LanguageCode: 'en' });
    expect(en.Languages![0]!.Score).toBeGreaterThan(0.5);
    const de = await comprehend.detectDominantLanguage({
      Text: 'Sehr geehrte Damen und Herren, wir bestätigen den Eingang Ihrer Bestellung.',
    });
    expect(de.Languages![0]!.LanguageCode).toBe('de');
  });

  it('DetectPiiEntities returns code point offsets (emoji before the entity)', async () => {
    const text = '😀😀 Write to Zoë Müller at zoe.muller@example.com or call 206-555-0147.';
    const r = await comprehend.detectPiiEntities({ Text: text, LanguageCode: 'en' });
    const byType = Object.fromEntries(
      r.Entities!.map((e) => [e.Type, sliceCodePoints(text, e.BeginOffset!, e.EndOffset!)]),
    );
    expect(byType).toMatchObject({ EMAIL: 'zoe.muller@example.com', PHONE: '206-555-0147' });
    for (const e of r.Entities!) {
      expect(e.Score).toBeGreaterThan(0);
      expect(e.Score).toBeLessThanOrEqual(1);
    }
  });

  it('DetectEntities, DetectKeyPhrases and DetectSentiment have Comprehend shapes', async () => {
    const text = 'Olivia Bennett from Microsoft visited Paris on Monday. She loved the big red umbrella.';
    const { Entities } = await comprehend.detectEntities({ Text: text, LanguageCode: 'en' });
    expect(Entities!.map((e) => [e.Type, e.Text])).toEqual(
      expect.arrayContaining([
        ['PERSON', 'Olivia Bennett'],
        ['ORGANIZATION', 'Microsoft'],
        ['LOCATION', 'Paris'],
        ['DATE', 'Monday'],
      ]),
    );
    for (const e of Entities!) expect(sliceCodePoints(text, e.BeginOffset!, e.EndOffset!)).toBe(e.Text);
    const { KeyPhrases } = await comprehend.detectKeyPhrases({ Text: text, LanguageCode: 'en' });
    expect(KeyPhrases!.map((k) => k.Text)).toContain('the big red umbrella');
    expect(KeyPhrases!.map((k) => k.Text)).not.toContain('She');

    const s = await comprehend.detectSentiment({
      Text: 'I love this product, it is excellent!',
      LanguageCode: 'en',
    });
    expect(s.Sentiment).toBe('POSITIVE');
    const sum = Object.values(s.SentimentScore!).reduce((a, b) => a + (b ?? 0), 0);
    expect(sum).toBeCloseTo(1, 3);
    expect(
      (await comprehend.detectSentiment({ Text: 'This was a terrible, awful mess.', LanguageCode: 'en' }))
        .Sentiment,
    ).toBe('NEGATIVE');
    expect(
      (await comprehend.detectSentiment({ Text: 'The meeting is at noon.', LanguageCode: 'en' })).Sentiment,
    ).toBe('NEUTRAL');
    expect(
      (
        await comprehend.detectSentiment({
          Text: 'I love the design but the battery is terrible.',
          LanguageCode: 'en',
        })
      ).Sentiment,
    ).toBe('MIXED');
  });

  it('enforces each API byte limit with TextSizeLimitExceededException', async () => {
    const sixKb = 'é'.repeat(3 * 1024); // 6 KB of UTF-8 in 3072 characters
    const err = await comprehend
      .detectSentiment({ Text: sixKb, LanguageCode: 'en' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TextSizeLimitExceededException);
    expect(err).toMatchObject({ name: 'TextSizeLimitExceededException' });
    await expect(comprehend.detectKeyPhrases({ Text: sixKb, LanguageCode: 'en' })).resolves.toBeDefined();
    const big = 'a'.repeat(100 * 1024 + 1);
    await expect(comprehend.detectPiiEntities({ Text: big, LanguageCode: 'en' })).rejects.toBeInstanceOf(
      TextSizeLimitExceededException,
    );
    await expect(comprehend.detectDominantLanguage({ Text: big })).rejects.toBeInstanceOf(
      TextSizeLimitExceededException,
    );
  });

  it('rejects languages with UnsupportedLanguageException, naming local-only limits', async () => {
    const pii = await comprehend
      .detectPiiEntities({ Text: 'Bonjour Marie', LanguageCode: 'fr' })
      .catch((e: unknown) => e);
    expect(pii).toBeInstanceOf(UnsupportedLanguageException);
    expect((pii as Error).message).toContain("'fr' is not supported");
    const ent = await comprehend
      .detectEntities({ Text: 'Hallo Welt', LanguageCode: 'de' })
      .catch((e: unknown) => e);
    expect(ent).toBeInstanceOf(UnsupportedLanguageException);
    expect((ent as Error).message).toContain('supported by Amazon Comprehend but not by the local engine');
    await expect(comprehend.detectSentiment({ Text: 'x', LanguageCode: 'xx' as 'en' })).rejects.toMatchObject(
      {
        name: 'UnsupportedLanguageException',
      },
    );
    // Spanish PII is accepted, as by the service.
    await expect(
      comprehend.detectPiiEntities({ Text: 'Escribe a ana@example.es', LanguageCode: 'es' }),
    ).resolves.toMatchObject({
      Entities: [expect.objectContaining({ Type: 'EMAIL' })],
    });
  });

  it('validates requests with InvalidRequestException', async () => {
    await expect(comprehend.detectEntities({ Text: '', LanguageCode: 'en' })).rejects.toBeInstanceOf(
      InvalidRequestException,
    );
    await expect(comprehend.detectPiiEntities({ Text: 'x' } as never)).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringContaining('LanguageCode'),
    });
  });
});
