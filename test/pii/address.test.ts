import { classifyColumn } from '../../src/pii/classify';
import { detectEntities } from '../../src/pii/detectors';
import { detectPiiEntities } from '../../src/pii/text';

/** The ADDRESS spans found in a text, as the text they cover. */
const addresses = (text: string) =>
  detectEntities(text)
    .filter((e) => e.entityType === 'ADDRESS')
    .map((e) => [...text].slice(e.start, e.end).join(''));

describe('a street address in a sentence is one ADDRESS span, town and postcode included', () => {
  test.each([
    // number first, type last (US, Canada, UK, Australia), units before or after
    ['US with state and ZIP+4', '4821 N Sycamore Ridge Apt 12, Fort Collins, CO 80521-3310'],
    ['Canada with its postcode', '33 Queen St W, Toronto, ON M5H 2N2'],
    ['UK flat, locality and postcode', 'Flat 2, 14 Albert Road, Southsea, Portsmouth PO4 0JT'],
    ['Australia with a four-digit postcode', '12 Wattle Parade, Glenelg SA 5045'],
    // number first, type first (France)
    ['France', '7 bis rue des Tanneurs, 25000 Besançon'],
    // type first, number last (Spain, Italy, Portugal, Brazil, Belgium, Poland)
    ['Spain with floor and door', 'C/ de Alcalá 42, 3º B, 28014 Madrid'],
    ['Spain without a number (s/n)', 'Plaza de España s/n, 41013 Sevilla'],
    ['Italy with its province', 'Via XX Settembre 5, 16121 Genova (GE)'],
    ['Portugal', 'Rua do Almada, 12, 4050-032 Porto'],
    ['Brazil with bairro, state and CEP', 'Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200'],
    ['Belgium', 'Rue de la Loi 16, 1000 Bruxelles'],
    ['Poland', 'ul. Długa 5/12, 80-827 Gdańsk'],
    // the type inside the name (German, Dutch, Nordic, Finnish) or as its own word
    ['Germany, abbreviated', 'Heinrich-Lübke-Str. 77a, 53113 Bonn'],
    ['Switzerland with a country prefix', 'Bahnhofstrasse 1, CH-8001 Zürich'],
    ['Netherlands', 'Keizersgracht 123, 1015 CJ Amsterdam'],
    ['Sweden', 'Storgatan 4, 114 55 Stockholm'],
    ['Norway', 'Karl Johans gate 22, 0159 Oslo'],
    ['Finland', 'Mannerheimintie 5, 00100 Helsinki'],
    ['Japan in Latin letters', '1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005'],
    // post-office boxes
    ['a US PO box', 'P.O. Box 1142, Bozeman, MT 59715'],
    ['a Spanish apartado', 'Apartado de Correos 45, 36201 Vigo'],
  ])('%s', (_, address) => {
    expect(addresses(`Please send the papers to ${address}. Thank you`)).toEqual([address]);
  });

  test.each([
    ['Japan', '住所は', '東京都千代田区丸の内1-2-3', 'です'],
    ['Japan, chome and banchi', '', '大阪府大阪市北区梅田3丁目1番3号', ''],
    ['China', '我的地址是', '北京市朝阳区建国路88号', '。'],
    ['Korea', '주소: ', '서울특별시 강남구 테헤란로 152', ''],
  ])('CJK: %s', (_, before, address, after) => {
    expect(addresses(`${before}${address}${after}`)).toEqual([address]);
  });
});

describe('what is not an address', () => {
  test.each([
    ['a street name without a house number', 'The parade goes down Simón Bolívar Drive at noon.'],
    ['a park after a quantity', 'We bought 2 Hyde Park tickets for the weekend.'],
    ['a year after a street-type word', 'The Via Rail 2023 timetable is out.'],
    ['a German preposition, a noun and a number', 'Am Ende 3 Tore, und das Spiel war vorbei.'],
    ['a music suite', 'Bach wrote Suite 3 in D major.'],
  ])('%s', (_, text) => {
    expect(addresses(text)).toEqual([]);
  });

  test('a name after the street is not swallowed as the town', () => {
    const text = 'Ship to 42 Elm Street, Dr. Ada Lovelace will sign.';
    expect(addresses(text)).toEqual(['42 Elm Street']);
  });

  test('the full stop ending the sentence stays out of the town', () => {
    expect(addresses('Enviado a Hauptstraße 51, 33387 Jena. Llámenos mañana.')).toEqual([
      'Hauptstraße 51, 33387 Jena',
    ]);
  });
});

describe('an address column', () => {
  test('a column of German street addresses is ADDRESS; the same streets without numbers are not', () => {
    const opts = { entityTypes: ['ADDRESS'], thresholdFraction: 0.1 };
    const streets = ['Bogenstr.', 'Im Frohental', 'Von-Ketteler-Str.', 'Lindenallee', 'Am Kirchberg'];
    const withNumbers = streets.map((s, i) => `${s} ${i * 7 + 3}${i % 2 ? 'a' : ''}`);
    expect(classifyColumn(withNumbers, opts).map((e) => e.entityType)).toEqual(['ADDRESS']);
    expect(classifyColumn(streets, opts)).toEqual([]);
  });

  test('Comprehend reports it as ADDRESS with a score', () => {
    const text = 'Deliver to 24 rue des Lilas, 71668 Nantes.';
    expect(detectPiiEntities(text, 'en').Entities).toEqual([
      { Type: 'ADDRESS', BeginOffset: 11, EndOffset: 41, Score: expect.any(Number) },
    ]);
  });
});
