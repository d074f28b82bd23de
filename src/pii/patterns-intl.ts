import { electronicFormatIBAN, ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import type { CountryCode } from 'libphonenumber-js';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { RawMatch } from './types';

/**
 * Detectors that lean on maintained libraries: national phone formats through libphonenumber's
 * metadata (per region), IBANs through ibantools' ISO 13616 check, and Comprehend's DATE_TIME.
 */

export { DEFAULT_PHONE_REGIONS } from './phone-regions';

// Split on ASCII letters only: a superset of the letter-free runs, so never skips a number.
const NINE_DIGIT_RUN = /\d(?:[^A-Za-z\d]*\d){8}/;

const PHONE_CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|fax|call|contact|ph|whatsapp|sms|on)\b/i;

/**
 * Numbers libphonenumber finds valid for one of the regions. Bare digit runs ("9196965267") are
 * order numbers as often as phones, so they need a phone word nearby; written layouts
 * ("016977 2399", "03-1234-5678", "(11) 91234-5678") are the evidence themselves.
 */
export function nationalPhones(text: string, regions: readonly string[], out: RawMatch[]): void {
  // The costly per-region pass only where a number can be: one written with '+', or 9 digits that
  // no letter separates (libphonenumber reads a number from digits and punctuation only).
  if (!text.includes('+') && !NINE_DIGIT_RUN.test(text)) return;
  const seen = new Set<string>();
  for (const region of regions) {
    for (const found of findPhoneNumbersInText(text, { defaultCountry: region as CountryCode })) {
      const key = `${found.startsAt}:${found.endsAt}`;
      if (seen.has(key)) continue;
      const raw = text.slice(found.startsAt, found.endsAt);
      // National numbers with their trunk prefix have 9 digits or more in every default region
      // (an extension's digits are not the number's).
      const digits = raw.replace(/\D/g, '').length - (found.number.ext?.length ?? 0);
      if (!raw.startsWith('+') && digits < 9) continue;
      if (!phoneShaped(text, found.startsAt, found.endsAt)) continue;
      // The SSN layout is never a phone; the NANP layout is one only under US/CA metadata.
      if (/^\d{3}[- ]\d{2}[- ]\d{4}$/.test(raw)) continue;
      if (/^\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}$/.test(raw) && region !== 'US' && region !== 'CA') continue;
      const laidOut = /[\s().-]/.test(raw.trim()) || raw.startsWith('+');
      const before = text.slice(Math.max(0, found.startsAt - 32), found.startsAt);
      if (!laidOut && !PHONE_CONTEXT.test(before)) continue;
      seen.add(key);
      out.push({
        entityType: 'PHONE_NUMBER',
        detector: `libphonenumber:${region}`,
        start: found.startsAt,
        end: found.endsAt,
        score: laidOut ? 0.85 : 0.8,
      });
    }
  }
}

/**
 * What the metadata cannot tell: a phone number stands alone (not inside a SKU, ISBN, IMEI or
 * coordinate pair), has no decimal part or comma, and no one-digit group after its first.
 */
function phoneShaped(text: string, start: number, end: number): boolean {
  const raw = text.slice(start, end);
  if (/[\w/.,-]/.test(text[start - 1] ?? '') || /^[\w/-]|^[.,]\d/.test(text.slice(end, end + 2)))
    return false;
  if (/,/.test(raw) || /^\d+\.\d{1,4}$/.test(raw) || /^\d{5}-\d{4}$/.test(raw)) return false;
  // Dotted numbers are versions unless laid out as phone plans write them (878.643.9748, 01.23.45.67.89).
  if (raw.includes('.') && !/^(?:\+\d{1,3}[ .])?(?:\d{3}\.\d{3}\.\d{4}|\d{2}(?:\.\d{2}){4})$/.test(raw))
    return false;
  const groups = raw
    .replace(/^\+\d{1,3}/, '')
    .split(/[\s().-]+/)
    .filter(Boolean);
  return groups.every((g, i) => i === 0 || g.length > 1);
}

// Country code, check digits, then the BBAN in groups of four (or written without spaces).
const IBAN_RE = /(?<![\w-])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w-])/g;

/**
 * IBANs with the country's length and BBAN format and a valid ISO 13616 mod-97 check
 * (ibantools). A wrong national check digit (Spain's, France's RIB key, Belgium's) alone still
 * names an account, as test and mistyped IBANs do, so it does not clear the value.
 */
function isIban(compact: string): boolean {
  const { errorCodes } = validateIBAN(compact);
  return errorCodes.every((e) => e === ValidationErrorsIBAN.WrongAccountBankBranchChecksum);
}

export function ibans(text: string, out: RawMatch[]): void {
  IBAN_RE.lastIndex = 0;
  for (let m = IBAN_RE.exec(text); m !== null; m = IBAN_RE.exec(text)) {
    const compact = electronicFormatIBAN(m[0]);
    if (compact && isIban(compact))
      out.push({
        entityType: 'BANK_ACCOUNT',
        detector: 'iban-checksum',
        start: m.index,
        end: m.index + m[0].length,
        score: 0.97,
      });
  }
}

const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre';
const WEEKDAYS =
  'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|lunes|martes|miércoles|jueves|viernes|sábado|domingo';
const DATE_RES: RegExp[] = [
  // 2023-04-20, 2023-04-20 14:44:14, 2023-04-20T14:44
  /(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?(?![\w-])/g,
  // 05/23/2025, 16/02/2023, 16.02.2023
  /(?<![\w./-])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\w/-]|\.\d)/g,
  // 22 May 2021, 16 de febrero de 2023
  new RegExp(String.raw`(?<![\w])\d{1,2}\.?\s+(?:de\s+)?(?:${MONTHS})\.?,?\s+(?:de\s+)?\d{4}(?![\w])`, 'giu'),
  // July 25, 2023
  new RegExp(String.raw`(?<![\w])(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?![\w])`, 'giu'),
  // Tuesday
  new RegExp(String.raw`(?<![\p{L}])(?:${WEEKDAYS})(?![\p{L}])`, 'gu'),
];

function plausible(m: RegExpExecArray, i: number): boolean {
  if (i === 0) return Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
  if (i === 1) {
    const [a, b] = [Number(m[1]), Number(m[3])];
    return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
  }
  return true;
}

/** Comprehend's DATE_TIME: calendar dates, timestamps and weekdays (bare times and months are not). */
export function dateTimes(text: string, out: RawMatch[]): void {
  DATE_RES.forEach((re, i) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      if (plausible(m, i))
        out.push({
          entityType: 'DATE_TIME',
          detector: 'date-pattern',
          start: m.index,
          end: m.index + m[0].length,
          score: 0.9,
        });
  });
}
