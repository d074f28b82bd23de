import { closest } from 'fastest-levenshtein';
import type * as Libphonenumber from 'libphonenumber-js';
import { lazy } from '../lazy';

// Its metadata takes ~40 ms to load: governance.yml's schema (every command) needs it only to check
// a phoneRegions list someone wrote, never for the default below.
const libphonenumber = lazy(() => require('libphonenumber-js') as typeof Libphonenumber);

/**
 * Regions whose national formats are recognised when no country code is written
 * (`sensitiveData.phoneRegions` in governance.yml overrides it).
 */
export const DEFAULT_PHONE_REGIONS: readonly string[] = [
  'US',
  'CA',
  'GB',
  'DE',
  'FR',
  'ES',
  'IT',
  'NL',
  'JP',
  'IN',
  'BR',
  'AU',
];

/**
 * The regions governance.yml's `sensitiveData.phoneRegions` may name: ISO 3166-1 alpha-2 codes
 * that libphonenumber has metadata for (national formats are only recognised for those).
 */
export function isPhoneRegion(code: string): boolean {
  return libphonenumber().isSupportedCountry(code);
}

/** Codes people write for a country that ISO spells otherwise. */
const ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

const regionNames = lazy(() => new Intl.DisplayNames(['en'], { type: 'region' }));
const nameOf = (code: string) => regionNames().of(code) ?? code;

/**
 * The supported region a refused one most likely meant, with its English name
 * ("GB (United Kingdom)"): the ISO code for a known alias, the code of a country written out
 * ("Germany"), the same code in capitals, else the nearest code by edit distance.
 */
export function closestPhoneRegion(input: string): string {
  const upper = input.trim().toUpperCase();
  const { getCountries, isSupportedCountry } = libphonenumber();
  const countries = getCountries();
  const byName = countries.find((c) => nameOf(c).toUpperCase() === upper);
  const code =
    ALIASES[upper] ?? byName ?? (isSupportedCountry(upper) ? upper : closest(upper, countries as string[]));
  return `${code} (${nameOf(code)})`;
}
