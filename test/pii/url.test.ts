import { detectEntities } from '../../src/pii/detectors';
import { detectPiiEntities } from '../../src/pii/text';

const found = (text: string) =>
  detectEntities(text).map((e) => [e.entityType, [...text].slice(e.start, e.end).join('')]);

describe('URL (Comprehend only)', () => {
  test.each([
    ['with a scheme, path and query', 'https://shop.example.com/account/settings?tab=billing'],
    ['with a port', 'http://intranet.example.io:8443/orders/48213'],
    ['starting with www.', 'www.example.com'],
    ['a bare host with a path', 'example.org/orders/17'],
    ['with a fragment', 'https://docs.example.net/setup#install'],
  ])('%s', (_, url) => {
    expect(found(`Reset it at ${url}.`)).toEqual([['URL', url]]);
  });

  test('sentence punctuation and an enclosing bracket stay out; a bracket the URL opened stays in', () => {
    expect(found('The form (https://forms.example.com/f/311) closes tomorrow.')).toEqual([
      ['URL', 'https://forms.example.com/f/311'],
    ]);
    expect(found('See https://en.example.org/wiki/Paris_(France), please.')).toEqual([
      ['URL', 'https://en.example.org/wiki/Paris_(France)'],
    ]);
  });

  test.each([
    ['file names', 'Open report.pdf and notes.txt before the call.'],
    ['a framework and a version', 'Built with Node.js/Express, version 3.4.1.'],
  ])('%s are not URLs', (_, text) => {
    expect(found(text)).toEqual([]);
  });

  test('an email is an EMAIL, not a URL', () => {
    expect(found('Write to ann@example.com today.')).toEqual([['EMAIL', 'ann@example.com']]);
  });

  test('numbers inside a URL are not phones, accounts or dates', () => {
    expect(found('Track it at https://track.example.com/parcel/5551234567/2024-05-01 now')).toEqual([
      ['URL', 'https://track.example.com/parcel/5551234567/2024-05-01'],
    ]);
  });

  test('an IP address written as the host stays an IP_ADDRESS', () => {
    expect(found('Admin console: http://10.20.30.40/admin')).toEqual([['IP_ADDRESS', '10.20.30.40']]);
  });

  test('Comprehend reports it as URL', () => {
    expect(detectPiiEntities('Visit www.example.com today', 'en').Entities).toEqual([
      { Type: 'URL', BeginOffset: 6, EndOffset: 21, Score: expect.any(Number) },
    ]);
  });

  test('a column classification never reports URL: it is not a Glue managed type', () => {
    const types = detectEntities('https://example.com/a', { entityTypes: ['PERSON_NAME', 'EMAIL'] });
    expect(types).toEqual([]);
  });
});
