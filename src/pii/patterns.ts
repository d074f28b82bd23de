import { streetAddresses } from './address';
import { DEFAULT_PHONE_REGIONS, dateTimes, ibans, nationalPhones } from './patterns-intl';
import type { DetectedType, DetectionSensitivity, EntityType, RawMatch } from './types';
import { urls } from './url';
import { isCreditCardNumber, isIPv4, isIPv6, isValidSsn } from './validators';

/**
 * Regex + validator detectors for the structured entity types. Every regex scans free text,
 * so boundaries are lookarounds rather than ^…$, and every candidate is validated (checksum,
 * allocation rules, context words) before it counts. Offsets are UTF-16 (see RawMatch).
 */

type Emit = (start: number, end: number, score: number) => void;

function scan(
  text: string,
  re: RegExp,
  fn: (m: RegExpExecArray, emit: Emit) => void,
  out: RawMatch[],
  entityType: EntityType,
  detector: string,
): void {
  re.lastIndex = 0;
  const emit: Emit = (start, end, score) => out.push({ entityType, detector, start, end, score });
  for (let m = re.exec(text); m !== null; m = re.exec(text)) fn(m, emit);
}

/** True when one of the context words occurs shortly before (or just after) the match. */
function nearContext(
  text: string,
  start: number,
  end: number,
  words: RegExp,
  before = 48,
  after = 24,
): boolean {
  return (
    words.test(text.slice(Math.max(0, start - before), start)) || words.test(text.slice(end, end + after))
  );
}

const PHONE_CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|fax|call|contact|ph|whatsapp|sms)\b/i;
const SSN_CONTEXT = /\b(?:ssn|ssns|social\s+security|soc\.?\s*sec|ss\s*#|ss\s+no)\b/i;
const PASSPORT_CONTEXT = /\bpassport/i;
const BANK_CONTEXT = /\b(?:account|acct|a\/c|bank|checking|savings|deposit|iban|routing)\b/i;

// --- EMAIL -------------------------------------------------------------------------------
const EMAIL_RE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/gu;

function email(text: string, out: RawMatch[]): void {
  scan(
    text,
    EMAIL_RE,
    (m, emit) => {
      const local = m[0].slice(0, m[0].indexOf('@'));
      if (!local.includes('..')) emit(m.index, m.index + m[0].length, 0.99);
    },
    out,
    'EMAIL',
    'email-regex',
  );
}

// --- PHONE_NUMBER ------------------------------------------------------------------------
// NANP with separators or parentheses: the layout itself is the evidence, so the exchange is
// not held to [2-9] (fictional 555-123-4567 style numbers still count); the area code is.
const NANP_FORMATTED_RE =
  /(?<![\w+])(?:\+?1[\s.-]?)?(?:\(([2-9]\d{2})\)[\s.-]?|([2-9]\d{2})[\s.-])\d{3}[\s.-]\d{4}(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-]|\.\d)/gi;
// NANP digits only: strict area and exchange rules; needs +1, a context word, or HIGH.
const NANP_BARE_RE = /(?<![\w+])(\+?1)?[2-9]\d{2}[2-9]\d{6}(?![\w-]|\.\d)/g;
// International form with a + country code (E.164 allows at most 15 digits).
const INTL_RE = /(?<![\w+])\+[1-9]\d{0,2}(?:[\s.-]?\(\d{1,4}\))?(?:[\s.-]?\d{1,5}){2,6}(?![\w-]|\.\d)/g;
// National trunk-prefix forms (020 7946 0958, 07700 900123): only next to a phone word.
const NATIONAL_RE = /(?<![\w+])0\d{1,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?![\w-]|\.\d)/g;

function phone(text: string, out: RawMatch[], sensitivity: DetectionSensitivity): void {
  scan(
    text,
    NANP_FORMATTED_RE,
    (m, emit) => emit(m.index, m.index + m[0].length, 0.95),
    out,
    'PHONE_NUMBER',
    'nanp-formatted',
  );
  scan(
    text,
    NANP_BARE_RE,
    (m, emit) => {
      const end = m.index + m[0].length;
      if (m[1]?.startsWith('+')) emit(m.index, end, 0.9);
      else if (nearContext(text, m.index, end, PHONE_CONTEXT)) emit(m.index, end, 0.85);
      else if (sensitivity === 'HIGH') emit(m.index, end, 0.5);
    },
    out,
    'PHONE_NUMBER',
    'nanp-bare',
  );
  scan(
    text,
    INTL_RE,
    (m, emit) => {
      const digits = m[0].replace(/\D/g, '').length;
      if (digits >= 8 && digits <= 15) emit(m.index, m.index + m[0].length, 0.9);
    },
    out,
    'PHONE_NUMBER',
    'intl-plus',
  );
  scan(
    text,
    NATIONAL_RE,
    (m, emit) => {
      const end = m.index + m[0].length;
      const digits = m[0].replace(/\D/g, '').length;
      if (digits >= 9 && digits <= 12 && nearContext(text, m.index, end, PHONE_CONTEXT))
        emit(m.index, end, 0.8);
    },
    out,
    'PHONE_NUMBER',
    'national+context',
  );
}

// --- USA_SSN -----------------------------------------------------------------------------
const SSN_SEPARATED_RE = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-]|\.\d)/g;
const SSN_BARE_RE = /(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-]|\.\d)/g;

function ssn(text: string, out: RawMatch[], sensitivity: DetectionSensitivity): void {
  scan(
    text,
    SSN_SEPARATED_RE,
    (m, emit) => {
      if (isValidSsn(m[1]!, m[3]!, m[4]!)) emit(m.index, m.index + m[0].length, 0.95);
    },
    out,
    'USA_SSN',
    'ssn-separated',
  );
  // Nine bare digits are just as often an ID or ZIP+4, so they need "SSN" nearby (or HIGH).
  scan(
    text,
    SSN_BARE_RE,
    (m, emit) => {
      if (!isValidSsn(m[1]!, m[2]!, m[3]!)) return;
      const end = m.index + m[0].length;
      if (nearContext(text, m.index, end, SSN_CONTEXT)) emit(m.index, end, 0.85);
      else if (sensitivity === 'HIGH') emit(m.index, end, 0.5);
    },
    out,
    'USA_SSN',
    'ssn-bare+context',
  );
}

// --- CREDIT_CARD -------------------------------------------------------------------------
// A run of 12–19 digits with optional single space/dash separators, taken whole.
const CARD_RE = /(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-]|[ -]\d|\.\d)/g;

function creditCard(text: string, out: RawMatch[]): void {
  scan(
    text,
    CARD_RE,
    (m, emit) => {
      const seps = new Set(m[0].replace(/\d/g, ''));
      if (seps.size > 1) return; // mixed separators: not a card layout
      if (isCreditCardNumber(m[0].replace(/\D/g, ''))) emit(m.index, m.index + m[0].length, 0.97);
    },
    out,
    'CREDIT_CARD',
    'card-luhn',
  );
}

// --- IP_ADDRESS --------------------------------------------------------------------------
const IPV4_RE = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)/g;
const IPV6_RE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:]|\.\d)/g;

function ipAddress(text: string, out: RawMatch[]): void {
  scan(
    text,
    IPV4_RE,
    (m, emit) => {
      // "Chrome/41.0.2228.0", "rv:11.0.1.2", "build 7.1.1.161", "Version 11.7.34.82": versions, not
      // hosts (after "://" it is the host of a URL).
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      if (/(?<!:\/)\/$|\brv:$|\b(?:version|build|release|ver|v)\.?\s*$/i.test(before)) return;
      if (isIPv4(m[0])) emit(m.index, m.index + m[0].length, 0.95);
    },
    out,
    'IP_ADDRESS',
    'ipv4',
  );
  scan(
    text,
    IPV6_RE,
    (m, emit) => {
      const s = m[0];
      // Require some substance so C++ scopes (a::b) and bare "::" are not addresses.
      const groups = s.split(/:+/).filter((g) => g !== '');
      const hexDigits = s.replace(/[^0-9A-Fa-f]/g, '').length;
      if (groups.length >= 2 && hexDigits >= 4 && isIPv6(s)) emit(m.index, m.index + s.length, 0.95);
    },
    out,
    'IP_ADDRESS',
    'ipv6',
  );
}

// --- MAC_ADDRESS -------------------------------------------------------------------------
const MAC_RE = /(?<![\w:.-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])/g;
const MAC_DOTTED_RE = /(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w]|\.\w)/g;

function macAddress(text: string, out: RawMatch[]): void {
  const emitAll = (m: RegExpExecArray, emit: Emit) => emit(m.index, m.index + m[0].length, 0.9);
  scan(text, MAC_RE, emitAll, out, 'MAC_ADDRESS', 'mac');
  scan(text, MAC_DOTTED_RE, emitAll, out, 'MAC_ADDRESS', 'mac-dotted');
}

// --- USA_PASSPORT_NUMBER -----------------------------------------------------------------
// 9 digits (older books) or a letter and 8 digits (Next Generation Passport); both are
// indistinguishable from other IDs, so the word "passport" must be nearby.
const PASSPORT_RE = /(?<![\w-])(?:\d{9}|[A-Z]\d{8})(?![\w-])/g;

function passport(text: string, out: RawMatch[]): void {
  scan(
    text,
    PASSPORT_RE,
    (m, emit) => {
      const end = m.index + m[0].length;
      if (nearContext(text, m.index, end, PASSPORT_CONTEXT)) emit(m.index, end, 0.85);
    },
    out,
    'USA_PASSPORT_NUMBER',
    'passport+context',
  );
}

// --- BANK_ACCOUNT ------------------------------------------------------------------------
// US accounts are 8–17 digits; Canadian ones are written transit-institution-account.
const BANK_RE = /(?<![\w-])(?:\d{8,17}|\d{5}-\d{3}-\d{7,12})(?![\w-]|\.\d)/g;

function bankAccount(text: string, out: RawMatch[]): void {
  scan(
    text,
    BANK_RE,
    (m, emit) => {
      const end = m.index + m[0].length;
      if (nearContext(text, m.index, end, BANK_CONTEXT)) emit(m.index, end, 0.8);
    },
    out,
    'BANK_ACCOUNT',
    'bank-account+context',
  );
}

/** Runs every pattern detector over text. */
export function detectPatterns(
  text: string,
  sensitivity: DetectionSensitivity,
  phoneRegions: readonly string[] = DEFAULT_PHONE_REGIONS,
  only?: ReadonlySet<DetectedType>,
): RawMatch[] {
  const out: RawMatch[] = [];
  const run = (type: DetectedType) => !only || only.has(type);
  if (run('DATE_TIME')) dateTimes(text, out);
  // Cheap guard: every other pattern entity contains a digit, '@', ':' or '/' (s/n), or is a www. URL.
  if (!/[\d@:/]|www\./i.test(text)) return out;
  if (run('BANK_ACCOUNT')) ibans(text, out);
  if (run('PHONE_NUMBER')) nationalPhones(text, phoneRegions, out);
  if (run('EMAIL')) email(text, out);
  if (run('CREDIT_CARD')) creditCard(text, out);
  if (run('USA_SSN')) ssn(text, out, sensitivity);
  if (run('IP_ADDRESS')) ipAddress(text, out);
  if (run('MAC_ADDRESS')) macAddress(text, out);
  if (run('USA_PASSPORT_NUMBER')) passport(text, out);
  if (run('BANK_ACCOUNT')) bankAccount(text, out);
  if (run('PHONE_NUMBER')) phone(text, out, sensitivity);
  if (run('ADDRESS')) streetAddresses(text, out);
  if (run('URL')) urls(text, out);
  return out;
}
