import { electronicFormatIBAN, ValidationErrorsIBAN, validateIBAN } from 'ibantools';
import type { CountryCode, NumberFound, NumberingPlan } from 'libphonenumber-js';
import { getCountryCallingCode, isSupportedCountry, Metadata, PhoneNumberMatcher } from 'libphonenumber-js';
import { lazy } from '../lazy';
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
    for (const found of phoneNumbersIn(text, region)) {
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

declare module 'libphonenumber-js' {
  interface PhoneNumberMatcher {
    /** The matcher's check of one candidate: parsed, possible and valid for its default country. */
    parseAndVerify(candidate: string, offset: number, text: string): unknown;
  }
  // The library's own metadata (the copy it parses with), read where it keeps it, rather than a
  // second copy of metadata.min.json in every process and bundle.
  interface Metadata {
    /** Each calling code's countries, its main country first. */
    countryCallingCodes(): Record<string, CountryCode[]>;
    /** The non-geographic calling codes (800, 808, 870, …) and their plans. */
    nonGeographic(): Record<string, unknown>;
  }
}

type Plan = NumberingPlan & { nationalPrefixTransformRule?: () => unknown };

/** A numbering plan: a country's, or a calling code's (its main country's, or a non-geographic one). */
function plan(id: string): Plan {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(id as CountryCode);
  if (!metadata.numberingPlan) throw new Error(`libphonenumber has no numbering plan ${id}`);
  return metadata.numberingPlan;
}

/** The fewest digits a national significant number has in a plan. */
const shortestIn = (plans: readonly Plan[]) => Math.min(...plans.flatMap((p) => p.possibleLengths()));

/**
 * The most digits a plan's national prefix rule adds ("3$1" puts a 3 before a 5-digit Norfolk
 * Island number): its own digits, when it uses each captured digit group once; else no bound.
 */
function digitsAdded(p: Plan): number {
  if (typeof p.nationalPrefixTransformRule !== 'function') return Number.POSITIVE_INFINITY;
  // The minified metadata writes a plan without a rule as 0; libphonenumber applies only a truthy one.
  const rule = p.nationalPrefixTransformRule();
  if (!rule) return 0;
  if (typeof rule !== 'string') return Number.POSITIVE_INFINITY;
  const groups = rule.match(/\$\d/g) ?? [];
  if (new Set(groups).size < groups.length || /\$(?!\d)/.test(rule)) return Number.POSITIVE_INFINITY;
  return rule.replace(/\$\d/g, '').replace(/\D/g, '').length;
}

interface CallingCode {
  code: string;
  /** The plan a number of this code is parsed under (its main country's). */
  main: Plan;
  /** Every plan a number of this code may end up in. */
  members: Plan[];
}

const callingCodes = lazy((): CallingCode[] => {
  const metadata = new Metadata();
  return [
    ...Object.entries(metadata.countryCallingCodes()).map(([code, countries]) => ({
      code,
      main: plan(code),
      members: countries.map(plan),
    })),
    ...Object.keys(metadata.nonGeographic()).map((code) => ({
      code,
      main: plan(code),
      members: [plan(code)],
    })),
  ];
});

/**
 * After an international prefix (a digit at least), a calling code and the national number:
 * parsing keeps or drops the candidate's digits, adding only what a national prefix rule adds.
 */
const shortestAfterPrefix = lazy(() =>
  Math.min(...callingCodes().map((c) => 1 + c.code.length + shortestIn(c.members) - digitsAdded(c.main))),
);

/**
 * The fewest digits a candidate written without '+' needs to be a possible number under a default
 * region: read as a national number of the region (with or without its calling code in front), or
 * as an international one after the region's international prefix.
 */
const shortestByRegion = new Map<string, number>();
function shortestNational(region: string): number {
  // The matcher reads a region libphonenumber does not know as no default region at all.
  if (!isSupportedCountry(region)) return 0;
  let shortest = shortestByRegion.get(region);
  if (shortest === undefined) {
    const code = getCountryCallingCode(region as CountryCode);
    const own = callingCodes().find((c) => c.code === code);
    if (!own) throw new Error(`libphonenumber has no calling code ${code}`);
    const national = shortestIn(own.members);
    shortest = Math.min(
      national - digitsAdded(plan(region)),
      code.length + national - digitsAdded(own.main),
      shortestAfterPrefix(),
    );
    shortestByRegion.set(region, shortest);
  }
  return shortest;
}

const NON_DIGIT = /\P{Nd}/gu;
const PLUS_SIGN = /[+\uFF0B]/;

/**
 * libphonenumber's matcher, which parses every digit group of the text (a "12" or a "2023" as much
 * as a phone number) once per default region, told to pass over candidates with fewer digits than
 * a possible number needs. Parsing drops digits (separators, prefixes, the calling code, an
 * extension) and adds only what a national prefix rule adds, and a national number shorter than
 * its plan's possible lengths is never possible, so the matcher finds what it found before.
 */
class PossibleLengthMatcher extends PhoneNumberMatcher {
  private readonly shortest: number;

  constructor(text: string, region: string) {
    super(text, { defaultCountry: region as CountryCode, v2: true });
    this.shortest = shortestNational(region);
  }

  override parseAndVerify(candidate: string, offset: number, text: string): unknown {
    if (!PLUS_SIGN.test(candidate) && candidate.replace(NON_DIGIT, '').length < this.shortest)
      return undefined;
    return super.parseAndVerify(candidate, offset, text);
  }
}

/** What `findPhoneNumbersInText(text, { defaultCountry: region })` finds, at a fraction of its parsing. */
export function phoneNumbersIn(text: string, region: string): NumberFound[] {
  const matcher = new PossibleLengthMatcher(text, region);
  const found: NumberFound[] = [];
  while (matcher.hasNext()) {
    const next = matcher.next();
    if (next) found.push(next);
  }
  return found;
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
