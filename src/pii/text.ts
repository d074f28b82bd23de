import {
  type DetectPiiEntitiesResponse,
  type PiiEntity,
  type PiiEntityType,
  UnsupportedLanguageException,
} from '@aws-sdk/client-comprehend';
import { detectEntities } from './detectors';
import type { DetectedType } from './types';

/** Comprehend real-time PII detection accepts English and Spanish only. */
export const PII_LANGUAGES = ['en', 'es'] as const;

/** Comprehend's DetectPiiEntities limit: 100 KB of UTF-8. */
export const MAX_TEXT_BYTES = 100 * 1024;

/** Glue entity type → Comprehend PiiEntityType for every type the local engine detects. */
export const COMPREHEND_TYPE: Readonly<Record<DetectedType, PiiEntityType>> = {
  PERSON_NAME: 'NAME',
  EMAIL: 'EMAIL',
  PHONE_NUMBER: 'PHONE',
  USA_SSN: 'SSN',
  CREDIT_CARD: 'CREDIT_DEBIT_NUMBER',
  IP_ADDRESS: 'IP_ADDRESS',
  MAC_ADDRESS: 'MAC_ADDRESS',
  USA_PASSPORT_NUMBER: 'PASSPORT_NUMBER',
  BANK_ACCOUNT: 'BANK_ACCOUNT_NUMBER',
  ADDRESS: 'ADDRESS',
  DATE_OF_BIRTH: 'DATE_TIME',
  DATE_TIME: 'DATE_TIME',
  URL: 'URL',
};

/** Comprehend reports an IBAN as its own type; Glue counts it as a bank account. */
const comprehendType = (e: { entityType: DetectedType; detector: string }): PiiEntityType =>
  e.detector === 'iban-checksum' ? 'INTERNATIONAL_BANK_ACCOUNT_NUMBER' : COMPREHEND_TYPE[e.entityType];

/** The SDK's PiiEntity with every field present, as the service always fills them. */
export interface LocalPiiEntity extends PiiEntity {
  BeginOffset: number;
  EndOffset: number;
  Score: number;
  Type: PiiEntityType;
}

/** Assignable to the SDK's DetectPiiEntitiesResponse. */
export interface LocalDetectPiiEntitiesResponse extends DetectPiiEntitiesResponse {
  Entities: LocalPiiEntity[];
}

/** Mirrors Comprehend's TextSizeLimitExceededException for oversized input. */
export class TextSizeLimitExceededError extends Error {
  override readonly name = 'TextSizeLimitExceededException';
}

/**
 * Local stand-in for Comprehend DetectPiiEntities. Offsets are Unicode code points with an
 * exclusive end (the .NET sample slices Substring(Begin, End - Begin)), entities are sorted
 * by offset and never overlap. Unsupported languages throw the SDK's own
 * UnsupportedLanguageException so callers catch the same class locally and in AWS.
 * (Some SDK enums list more language codes; the service accepts only en/es for PII.)
 */
export function detectPiiEntities(text: string, languageCode: string): LocalDetectPiiEntitiesResponse {
  if (!(PII_LANGUAGES as readonly string[]).includes(languageCode)) {
    throw new UnsupportedLanguageException({
      message: `The language code '${languageCode}' is not supported for PII entity detection. Supported languages: ${PII_LANGUAGES.join(', ')}.`,
      $metadata: {},
    });
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
    throw new TextSizeLimitExceededError(
      `Input text size exceeds limit. Max length of request text allowed is ${MAX_TEXT_BYTES} bytes.`,
    );
  }
  return {
    Entities: detectEntities(text).map((e) => ({
      BeginOffset: e.start,
      EndOffset: e.end,
      Score: e.score,
      Type: comprehendType(e),
    })),
  };
}
