/** Pure checksum and structure validators shared by the pattern detectors. */

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

interface CardBrand {
  brand: string;
  /** Inclusive IIN ranges, compared on the first `length of lo` digits. */
  ranges: readonly (readonly [string, string])[];
  lengths: readonly number[];
}

const range = (lo: string, hi: string = lo): readonly [string, string] => [lo, hi];
const span = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** Issuer identification number prefixes and lengths of the major card networks. */
const CARD_BRANDS: readonly CardBrand[] = [
  { brand: 'visa', ranges: [range('4')], lengths: [13, 16, 19] },
  { brand: 'mastercard', ranges: [range('51', '55'), range('2221', '2720')], lengths: [16] },
  { brand: 'amex', ranges: [range('34'), range('37')], lengths: [15] },
  {
    brand: 'discover',
    ranges: [range('6011'), range('644', '649'), range('65'), range('622126', '622925')],
    lengths: span(16, 19),
  },
  { brand: 'jcb', ranges: [range('3528', '3589')], lengths: span(16, 19) },
  {
    brand: 'diners',
    ranges: [range('300', '305'), range('3095'), range('36'), range('38', '39')],
    lengths: span(14, 19),
  },
  { brand: 'unionpay', ranges: [range('62'), range('81')], lengths: span(16, 19) },
  {
    brand: 'maestro',
    ranges: [
      range('5018'),
      range('5020'),
      range('5038'),
      range('5893'),
      range('6304'),
      range('6759'),
      range('6761', '6763'),
    ],
    lengths: span(12, 19),
  },
  { brand: 'mir', ranges: [range('2200', '2204')], lengths: span(16, 19) },
];

/** The card network a PAN belongs to by IIN prefix and length, or undefined. */
export function cardBrand(digits: string): string | undefined {
  for (const b of CARD_BRANDS) {
    if (!b.lengths.includes(digits.length)) continue;
    for (const [lo, hi] of b.ranges) {
      const prefix = digits.slice(0, lo.length);
      if (prefix >= lo && prefix <= hi) return b.brand;
    }
  }
  return undefined;
}

/** A plausible payment card number: known IIN prefix and length, and Luhn-valid. */
export function isCreditCardNumber(digits: string): boolean {
  return cardBrand(digits) !== undefined && luhnValid(digits);
}

/**
 * SSA rules: area 001–899 except 666, group 01–99, serial 0001–9999. (Since 2011 SSNs are
 * randomised, so no high-group table applies.)
 */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return true;
}

/** Dotted-quad IPv4 with 0–255 octets and no leading zeros (which some parsers read as octal). */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 text forms, including `::` compression and an embedded IPv4 tail. */
export function isIPv6(s: string): boolean {
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return false;
  let text = s;
  let tailGroups = 0;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    // An IPv4 tail stands for two 16-bit groups.
    tailGroups = 2;
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const halves = text.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 2) {
    const groups = [...groupsOf(halves[0] ?? ''), ...groupsOf(halves[1] ?? '')];
    // `::` must stand for at least one zero group.
    return groups.every((g) => hex.test(g)) && groups.length + tailGroups <= 7;
  }
  const groups = text.split(':');
  return groups.every((g) => hex.test(g)) && groups.length + tailGroups === 8;
}
