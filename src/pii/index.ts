export {
  type ClassifyOptions,
  type ColumnEntity,
  type ColumnsClassification,
  classifyColumn,
  classifyColumns,
} from './classify';
export { type DetectOptions, detectEntities, entityTypesIn } from './detectors';
export { sampleRows } from './sample';
export {
  COMPREHEND_TYPE,
  detectPiiEntities,
  type LocalDetectPiiEntitiesResponse,
  type LocalPiiEntity,
  MAX_TEXT_BYTES,
  PII_LANGUAGES,
  TextSizeLimitExceededError,
} from './text';
export {
  type DetectedEntity,
  type DetectionSensitivity,
  type EntityType,
  isSupportedEntityType,
  SUPPORTED_ENTITY_TYPES,
} from './types';
export { cardBrand, isCreditCardNumber, isIPv4, isIPv6, isValidSsn, luhnValid } from './validators';
