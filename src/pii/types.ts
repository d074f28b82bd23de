/**
 * Glue managed entity types this engine can detect locally. Names are Glue's
 * (sensitive-data-managed-data-types); ADDRESS is not a Glue managed type and only backs
 * Comprehend's ADDRESS in the text detector.
 */
export const SUPPORTED_ENTITY_TYPES = [
  'PERSON_NAME',
  'EMAIL',
  'PHONE_NUMBER',
  'USA_SSN',
  'CREDIT_CARD',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'USA_PASSPORT_NUMBER',
  'BANK_ACCOUNT',
  'ADDRESS',
  'DATE_OF_BIRTH',
] as const;

export type EntityType = (typeof SUPPORTED_ENTITY_TYPES)[number];

/**
 * What the detectors report: the Glue types, plus Comprehend's DATE_TIME and URL, which only the
 * text detector returns (a column is DATE_OF_BIRTH when its dates sit under a birth-date name).
 */
export type DetectedType = EntityType | 'DATE_TIME' | 'URL';

export function isSupportedEntityType(name: string): name is EntityType {
  return (SUPPORTED_ENTITY_TYPES as readonly string[]).includes(name);
}

/**
 * The requested Glue types with no local detector, each once: never reported locally, so not
 * proven absent — the local engine treats every column as sensitive when any is asked for.
 */
export function notDetectableLocally(entityTypes: readonly string[]): string[] {
  return [...new Set(entityTypes.filter((t) => !isSupportedEntityType(t)))];
}

/**
 * Mirrors Glue's detectionSensitivity. LOW (Glue's default) only accepts well-formed matches;
 * HIGH also accepts weaker forms (bare 9-digit SSNs, bare 10-digit phone numbers without
 * context, single-token first names).
 */
export type DetectionSensitivity = 'LOW' | 'HIGH';

/** One entity found in a text. start/end are Unicode code point offsets, end exclusive. */
export interface DetectedEntity {
  entityType: DetectedType;
  /** the rule that found it (e.g. `email-regex`, `name-tagger`): evidence in findings and explain */
  detector: string;
  start: number;
  end: number;
  /** Confidence in [0, 1]; fed to Comprehend's Score. */
  score: number;
}

/** Internal match: start/end are UTF-16 code unit offsets (what JS regexes and slice use). */
export interface RawMatch {
  entityType: DetectedType;
  detector: string;
  start: number;
  end: number;
  score: number;
}
