import { closest } from 'fastest-levenshtein';
import { SUPPORTED_ENTITY_TYPES } from './types';

/**
 * Glue managed entity type names (docs.aws.amazon.com/glue/latest/dg/sensitive-data-managed-data-types.html):
 * the global and US types by name; per-country types (50+ countries, 2023 "AWS Glue 250 entity
 * types" announcement) by their country prefix, since that page's full country list is not
 * copied here. DATE is listed by the PIIDetection API.
 */
const NAMED_TYPES = [
  'PERSON_NAME',
  'EMAIL',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'BANK_ACCOUNT',
  'CREDIT_CARD',
  'PHONE_NUMBER',
  'DATE',
  'USA_ATIN',
  'USA_CPT_CODE',
  'USA_DEA_NUMBER',
  'USA_DRIVING_LICENSE',
  'USA_HCPCS_CODE',
  'USA_HEALTH_INSURANCE_CLAIM_NUMBER',
  'USA_ITIN',
  'USA_MEDICARE_BENEFICIARY_IDENTIFIER',
  'USA_NATIONAL_DRUG_CODE',
  'USA_NATIONAL_PROVIDER_IDENTIFIER',
  'USA_PASSPORT_NUMBER',
  'USA_PTIN',
  'USA_SSN',
  ...SUPPORTED_ENTITY_TYPES,
];

const COUNTRY_PREFIXES = [
  'ARGENTINA',
  'AUSTRALIA',
  'AUSTRIA',
  'BALKANS',
  'BELGIUM',
  'BRAZIL',
  'BULGARIA',
  'CANADA',
  'CHILE',
  'CHINA',
  'COLOMBIA',
  'CROATIA',
  'CYPRUS',
  'CZECHIA',
  'DENMARK',
  'ESTONIA',
  'FINLAND',
  'FRANCE',
  'GERMANY',
  'GREECE',
  'HUNGARY',
  'ICELAND',
  'INDIA',
  'INDONESIA',
  'IRELAND',
  'ISRAEL',
  'ITALY',
  'JAPAN',
  'KOREA',
  'LATVIA',
  'LIECHTENSTEIN',
  'LITHUANIA',
  'LUXEMBOURG',
  'MALAYSIA',
  'MALTA',
  'MEXICO',
  'NETHERLANDS',
  'NEW_ZEALAND',
  'NORWAY',
  'PHILIPPINES',
  'POLAND',
  'PORTUGAL',
  'ROMANIA',
  'SINGAPORE',
  'SLOVAKIA',
  'SLOVENIA',
  'SOUTH_AFRICA',
  'SPAIN',
  'SRI_LANKA',
  'SWEDEN',
  'SWITZERLAND',
  'THAILAND',
  'TURKEY',
  'UAE',
  'UK',
  'UKRAINE',
  'VENEZUELA',
];

export function isGlueEntityType(name: string): boolean {
  return NAMED_TYPES.includes(name) || COUNTRY_PREFIXES.some((c) => name.startsWith(`${c}_`));
}

/** The listed Glue type nearest to a misspelt name (edit distance), for the refusal message. */
export function closestGlueEntityType(name: string): string {
  return closest(name, NAMED_TYPES);
}
