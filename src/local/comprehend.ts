// ComprehendPort on local engines: PII through autogov's detectors (src/pii/text.ts), language through
// tinyld, entities / key phrases / sentiment through compromise and AFINN (src/extract/text-analysis.ts).
// Request validation and limits follow the service: UTF-8 byte limits per API
// (TextSizeLimitExceededException), language support (UnsupportedLanguageException). Languages that
// Comprehend accepts but the local English-only engines cannot handle also raise
// UnsupportedLanguageException, with a message that says the limit is local.
import type * as comprehend from '@aws-sdk/client-comprehend';
import { z } from 'zod';
import { COMPREHEND_BYTE_LIMITS, type ComprehendOperation } from '../extract/chunk';
import type { ComprehendPort } from '../extract/ports';
import {
  COMPREHEND_NLP_LANGUAGES,
  detectDominantLanguageLocal,
  detectEntitiesLocal,
  detectKeyPhrasesLocal,
  detectSentimentLocal,
  LOCAL_NLP_LANGUAGES,
} from '../extract/text-analysis';
import { detectPiiEntities, PII_LANGUAGES } from '../pii/text';
import { awsError, inputParser } from './errors';

const textOnly = z.looseObject({ Text: z.string().min(1) });
const textAndLanguage = z.looseObject({ Text: z.string().min(1), LanguageCode: z.string().min(1) });

const parse = inputParser((message) => awsError<typeof comprehend>('InvalidRequestException', message));

function checkSize(op: ComprehendOperation, text: string): void {
  const limit = COMPREHEND_BYTE_LIMITS[op];
  const size = Buffer.byteLength(text, 'utf8');
  if (size > limit) {
    throw awsError<typeof comprehend>(
      'TextSizeLimitExceededException',
      `Input text size exceeds limit. Max length of request text allowed is ${limit} bytes while in this request the text size is ${size} bytes`,
    );
  }
}

function checkLanguage(
  op: ComprehendOperation,
  code: string,
  service: readonly string[],
  local: readonly string[],
): void {
  if (!service.includes(code)) {
    throw awsError<typeof comprehend>(
      'UnsupportedLanguageException',
      `${op}: the language code '${code}' is not supported. Supported languages: ${service.join(', ')}.`,
    );
  }
  if (!local.includes(code)) {
    throw awsError<typeof comprehend>(
      'UnsupportedLanguageException',
      `${op}: the language code '${code}' is supported by Amazon Comprehend but not by the local engine (local: ${local.join(', ')}).`,
    );
  }
}

export class LocalComprehend implements ComprehendPort {
  async detectDominantLanguage(
    input: comprehend.DetectDominantLanguageCommandInput,
  ): Promise<comprehend.DetectDominantLanguageCommandOutput> {
    const { Text } = parse(textOnly, input);
    checkSize('DetectDominantLanguage', Text);
    return { $metadata: {}, Languages: detectDominantLanguageLocal(Text) };
  }

  async detectPiiEntities(
    input: comprehend.DetectPiiEntitiesCommandInput,
  ): Promise<comprehend.DetectPiiEntitiesCommandOutput> {
    const { Text, LanguageCode } = parse(textAndLanguage, input);
    // Size before language, so an oversized request fails with the SDK's size exception class.
    checkSize('DetectPiiEntities', Text);
    checkLanguage('DetectPiiEntities', LanguageCode, PII_LANGUAGES, PII_LANGUAGES);
    return { $metadata: {}, ...detectPiiEntities(Text, LanguageCode) };
  }

  async detectEntities(
    input: comprehend.DetectEntitiesCommandInput,
  ): Promise<comprehend.DetectEntitiesCommandOutput> {
    const { Text, LanguageCode } = parse(textAndLanguage, input);
    checkSize('DetectEntities', Text);
    checkLanguage('DetectEntities', LanguageCode, COMPREHEND_NLP_LANGUAGES, LOCAL_NLP_LANGUAGES);
    return { $metadata: {}, Entities: detectEntitiesLocal(Text) };
  }

  async detectKeyPhrases(
    input: comprehend.DetectKeyPhrasesCommandInput,
  ): Promise<comprehend.DetectKeyPhrasesCommandOutput> {
    const { Text, LanguageCode } = parse(textAndLanguage, input);
    checkSize('DetectKeyPhrases', Text);
    checkLanguage('DetectKeyPhrases', LanguageCode, COMPREHEND_NLP_LANGUAGES, LOCAL_NLP_LANGUAGES);
    return { $metadata: {}, KeyPhrases: detectKeyPhrasesLocal(Text) };
  }

  async detectSentiment(
    input: comprehend.DetectSentimentCommandInput,
  ): Promise<comprehend.DetectSentimentCommandOutput> {
    const { Text, LanguageCode } = parse(textAndLanguage, input);
    checkSize('DetectSentiment', Text);
    checkLanguage('DetectSentiment', LanguageCode, COMPREHEND_NLP_LANGUAGES, LOCAL_NLP_LANGUAGES);
    return { $metadata: {}, ...detectSentimentLocal(Text) };
  }
}
