import { type CountryCode, findPhoneNumbersInText, getCountries, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { DEFAULT_PHONE_REGIONS, phoneNumbersIn } from '../../src/pii/patterns-intl';
import { mulberry32 } from '../../src/pii/sample';

// National phones pass over candidates too short to be possible before libphonenumber parses
// them; what they find must be what libphonenumber's own findPhoneNumbersInText finds.

const COUNTRIES = getCountries();
// About a second; a guard blind to national prefix rules (Norfolk Island's "3$1") fails on the 66th text.
const N = 150;
const SEPARATORS = [' ', '-', '.', '/', ' - ', '–', '\u00a0', '~', '', ') ', ' ('];
const GLUE = [
  ' call ',
  ' order ',
  ', ',
  ': ',
  'abc',
  ' tel:',
  ' Nr.',
  '\n',
  ' 2023-04-20 10:',
  ' 12/05/2021 ',
  ' x',
];
const PREFIXES = ['', '', '+', '＋', '00', '011 ', '0', '(0)', '('];
const EXTENSIONS = ['', '', ' ext. 12', ' x3', '#45', ';ext=7'];
// Digits libphonenumber reads besides ASCII ones: fullwidth, Arabic-Indic, Eastern Arabic-Indic.
const DIGIT_ZEROS = [0x30, 0x30, 0x30, 0xff10, 0x660, 0x6f0];

function generator(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const script = (digits: string) => {
    const zero = pick(DIGIT_ZEROS);
    return digits.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));
  };
  /** Digits cut into groups with one separator kind, or with several. */
  const layout = (digits: string) => {
    const sep = pick(SEPARATORS);
    let out = '';
    for (let i = 0; i < digits.length; i += 1 + int(5))
      out += (i ? (next() < 0.8 ? sep : pick(SEPARATORS)) : '') + digits.slice(i, i + 1 + int(5));
    return out;
  };
  /**
   * A number as people write one: an example number of some country (retouched, or its local part
   * alone, which some plans complete with an area code), or random digits.
   */
  const number = (countries: Set<string>) => {
    const country = pick(COUNTRIES);
    const example = getExampleNumber(country, examples);
    if (example && next() < 0.7) {
      countries.add(country);
      const tail = example.nationalNumber.replace(/\d{0,3}$/, (t) =>
        String(int(10 ** t.length)).padStart(t.length, '0'),
      );
      const written = pick([
        () => example.formatNational(),
        () => example.formatInternational(),
        () => example.number,
        () => layout(tail),
        () => layout(tail.slice(-5 - int(4))),
        () => pick(PREFIXES) + layout(`${example.countryCallingCode}${tail}`),
      ])();
      return written + pick(EXTENSIONS);
    }
    const digits = Array.from({ length: 1 + int(14) }, () => int(10)).join('');
    return pick(PREFIXES) + layout(digits) + pick(EXTENSIONS);
  };
  /** A text of a few numbers and the countries whose example numbers it holds. */
  return () => {
    let text = '';
    const countries = new Set<string>();
    for (let parts = 1 + int(4); parts > 0; parts--)
      text += (next() < 0.2 ? script(number(countries)) : number(countries)) + pick(GLUE);
    return { text, countries };
  };
}

/** The numbers' data fields (each PhoneNumber carries its own getMetadata closure). */
const data = (found: readonly unknown[]): unknown => JSON.parse(JSON.stringify(found));

test('finds what findPhoneNumbersInText finds, per default region, on generated number layouts', () => {
  const generate = generator(20261202);
  let found = 0;
  for (let i = 0; i < N; i++) {
    const { text, countries } = generate();
    for (const region of new Set([...DEFAULT_PHONE_REGIONS, ...countries])) {
      const expected = findPhoneNumbersInText(text, { defaultCountry: region as CountryCode });
      found += expected.length;
      expect({ text, region, found: data(phoneNumbersIn(text, region)) }).toEqual({
        text,
        region,
        found: data(expected),
      });
    }
  }
  // The layouts hold numbers libphonenumber accepts, not only ones it refuses.
  expect(found).toBeGreaterThan(N);
});
