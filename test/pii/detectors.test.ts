import { detectEntities } from '../../src/pii/detectors';
import { cardBrand, isIPv4, isIPv6, isValidSsn, luhnValid } from '../../src/pii/validators';

/** [type, matched text] pairs found in a value. */
const found = (text: string, sensitivity: 'LOW' | 'HIGH' = 'LOW') =>
  detectEntities(text, { sensitivity }).map((e) => [e.entityType, [...text].slice(e.start, e.end).join('')]);
const typesIn = (text: string) => detectEntities(text).map((e) => e.entityType);

describe('CREDIT_CARD', () => {
  test('Luhn accepts valid and rejects single-digit and transposition errors', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398731')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });

  test.each([
    ['4111111111111111', 'visa'],
    ['4222222222222', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['3530111333300000', 'jcb'],
    ['36227206271667', 'diners'],
    ['6200000000000005', 'unionpay'],
  ])('%s is a %s number', (pan, brand) => {
    expect(cardBrand(pan)).toBe(brand);
    expect(typesIn(pan)).toEqual(['CREDIT_CARD']);
  });

  test('separated layouts count, mixed separators do not', () => {
    expect(found('4111 1111 1111 1111')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
    expect(found('4111-1111-1111-1111')).toEqual([['CREDIT_CARD', '4111-1111-1111-1111']]);
    expect(found('3782 822463 10005')).toEqual([['CREDIT_CARD', '3782 822463 10005']]);
    expect(typesIn('4111-1111 1111-1111')).toEqual([]);
  });

  test('Luhn-invalid numbers and unknown prefixes are not cards', () => {
    expect(typesIn('4111111111111112')).toEqual([]);
    expect(typesIn('1234567812345670')).toEqual([]); // Luhn-valid, no network starts with 1
    expect(typesIn('4111111111111')).toEqual([]); // Visa prefix, Luhn-invalid at 13 digits
  });

  test('a card inside a sentence', () => {
    expect(found('paid with 5555 5555 5555 4444, thanks')).toEqual([['CREDIT_CARD', '5555 5555 5555 4444']]);
  });
});

describe('USA_SSN', () => {
  test('allocation rules: no area 000, 666 or 9xx, no group 00, no serial 0000', () => {
    expect(isValidSsn('123', '45', '6789')).toBe(true);
    expect(isValidSsn('000', '45', '6789')).toBe(false);
    expect(isValidSsn('666', '45', '6789')).toBe(false);
    expect(isValidSsn('900', '45', '6789')).toBe(false);
    expect(isValidSsn('999', '45', '6789')).toBe(false);
    expect(isValidSsn('123', '00', '6789')).toBe(false);
    expect(isValidSsn('123', '45', '0000')).toBe(false);
  });

  test.each(['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'])(
    '%s is not an SSN',
    (v) => {
      expect(typesIn(v)).toEqual([]);
    },
  );

  test('dashed and spaced SSNs count; separators must match', () => {
    expect(found('123-45-6789')).toEqual([['USA_SSN', '123-45-6789']]);
    expect(found('123 45 6789')).toEqual([['USA_SSN', '123 45 6789']]);
    expect(typesIn('123-45 6789')).toEqual([]);
  });

  test('nine bare digits need an SSN context word or HIGH sensitivity', () => {
    expect(typesIn('123456789')).toEqual([]);
    expect(found('SSN: 123456789')).toEqual([['USA_SSN', '123456789']]);
    expect(found('123456789', 'HIGH')).toEqual([['USA_SSN', '123456789']]);
  });
});

describe('PHONE_NUMBER', () => {
  test.each([
    '555-123-4567',
    '(206) 555-0100',
    '206.555.0100',
    '+1 206 555 0100',
    '1-800-555-0199',
    '+12065550100',
    '206-555-0100 x123',
    '+44 20 7946 0958',
    '+49 30 1234567',
    '+33 1 23 45 67 89',
    '+91 98765 43210',
  ])('%s is a phone number', (v) => {
    expect(found(v)).toEqual([['PHONE_NUMBER', v]]);
  });

  test.each(['123-456-7890', '2023-05-17', '12345', '+1 23', '1.2.3.4'])('%s is not a phone number', (v) => {
    expect(typesIn(v)).not.toContain('PHONE_NUMBER');
  });

  test('ten bare digits need +1, a phone word or HIGH sensitivity', () => {
    expect(typesIn('2065550100')).toEqual([]);
    expect(found('mobile: 2065550100')).toEqual([['PHONE_NUMBER', '2065550100']]);
    expect(found('2065550100', 'HIGH')).toEqual([['PHONE_NUMBER', '2065550100']]);
  });

  test('national numbers count in their region layout, bare digits next to a phone word', () => {
    expect(found('tel 020 7946 0958')).toEqual([['PHONE_NUMBER', '020 7946 0958']]);
    // Written in the UK's national layout it is a phone number without a context word too.
    expect(found('020 7946 0958')).toEqual([['PHONE_NUMBER', '020 7946 0958']]);
  });
});

describe('EMAIL', () => {
  test.each(['a@example.com', 'first.last+tag@sub.example.co.uk', 'o_neil@example.io', 'josé@exämple.de'])(
    '%s is an email',
    (v) => {
      expect(found(v)).toEqual([['EMAIL', v]]);
    },
  );

  test.each(['@example.com', 'user@', 'user@localhost', 'a..b@example.com', 'user@example.c'])(
    '%s is not an email',
    (v) => {
      expect(typesIn(v)).toEqual([]);
    },
  );

  test('trailing sentence punctuation is not part of the address', () => {
    expect(found('Mail me: ann@example.com.')).toEqual([['EMAIL', 'ann@example.com']]);
  });
});

describe('IP_ADDRESS', () => {
  test('IPv4 octets are validated', () => {
    expect(isIPv4('192.168.0.1')).toBe(true);
    expect(isIPv4('255.255.255.255')).toBe(true);
    expect(isIPv4('256.1.1.1')).toBe(false);
    expect(isIPv4('01.2.3.4')).toBe(false);
    expect(isIPv4('1.2.3')).toBe(false);
  });

  test('IPv6 forms are validated', () => {
    for (const ok of [
      '2001:db8::1',
      'fe80::1ff:fe23:4567:890a',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      '::ffff:192.0.2.1',
      '::1',
    ]) {
      expect(isIPv6(ok)).toBe(true);
    }
    for (const bad of ['12:30:45', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', 'gggg::1', '00:1A:2B:3C:4D:5E']) {
      expect(isIPv6(bad)).toBe(false);
    }
  });

  test('addresses inside text, not version strings, times or C++ scopes', () => {
    expect(found('from 10.0.0.1 and 2001:db8::1.')).toEqual([
      ['IP_ADDRESS', '10.0.0.1'],
      ['IP_ADDRESS', '2001:db8::1'],
    ]);
    expect(typesIn('v1.2.3.4 at 12:30:45 std::vector a::b 999.1.1.1')).toEqual([]);
  });
});

describe('MAC_ADDRESS', () => {
  test('colon, dash and Cisco dotted forms', () => {
    expect(found('00:1A:2B:3C:4D:5E')).toEqual([['MAC_ADDRESS', '00:1A:2B:3C:4D:5E']]);
    expect(found('00-1a-2b-3c-4d-5e')).toEqual([['MAC_ADDRESS', '00-1a-2b-3c-4d-5e']]);
    expect(found('001a.2b3c.4d5e')).toEqual([['MAC_ADDRESS', '001a.2b3c.4d5e']]);
    expect(typesIn('00:1A-2B:3C:4D:5E')).toEqual([]);
  });
});

describe('context-gated identifiers', () => {
  test('USA_PASSPORT_NUMBER needs the word passport', () => {
    expect(found('passport no. A12345678')).toEqual([['USA_PASSPORT_NUMBER', 'A12345678']]);
    expect(typesIn('A12345678')).toEqual([]);
  });

  test('BANK_ACCOUNT needs an account word', () => {
    expect(found('checking acct 000123456789')).toEqual([['BANK_ACCOUNT', '000123456789']]);
    expect(typesIn('000123456789')).toEqual([]);
  });

  test('a Luhn-valid card next to the word account stays a card', () => {
    expect(found('account 4111111111111111')).toEqual([['CREDIT_CARD', '4111111111111111']]);
  });
});

describe('free text with several entities', () => {
  test('spans are sorted, non-overlapping and typed', () => {
    const text = 'Jane Doe (jane.doe@example.com, 555-123-4567) SSN 123-45-6789 from 192.168.1.20';
    expect(found(text)).toEqual([
      ['PERSON_NAME', 'Jane Doe'],
      ['EMAIL', 'jane.doe@example.com'],
      ['PHONE_NUMBER', '555-123-4567'],
      ['USA_SSN', '123-45-6789'],
      ['IP_ADDRESS', '192.168.1.20'],
    ]);
  });

  test('a street address is an address, not a name', () => {
    expect(found('ship to 123 Martin Luther King Jr Blvd, Springfield, IL 62704')).toEqual([
      ['ADDRESS', '123 Martin Luther King Jr Blvd, Springfield, IL 62704'],
    ]);
  });

  test('entityTypes limits what is reported', () => {
    const text = 'Jane Doe jane@example.com';
    expect(detectEntities(text, { entityTypes: ['EMAIL'] }).map((e) => e.entityType)).toEqual(['EMAIL']);
  });

  test('text without PII yields nothing', () => {
    expect(found('The quarterly report is due soon in Seattle.')).toEqual([]);
    // Comprehend reports weekdays and dates as DATE_TIME.
    expect(found('The quarterly report is due on Monday in Seattle.')).toEqual([['DATE_TIME', 'Monday']]);
  });
});

describe('every entity says which rule found it and how sure it is', () => {
  test('a note with a name, an e-mail and a bare SSN next to its context word', () => {
    const entities = detectEntities('Ask Jane Smith (jane.smith@example.com), SSN 123456789.');
    expect(entities.map(({ entityType, detector }) => [entityType, detector])).toEqual([
      ['PERSON_NAME', 'name-lists'],
      ['EMAIL', 'email-regex'],
      ['USA_SSN', 'ssn-bare+context'],
    ]);
    for (const e of entities) expect(e.score).toBeGreaterThan(0.5);
  });
});
