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
    ['Spain with staircase and door', 'Calle Mayor 5, Esc. 2, Puerta 4, 28013 Madrid'],
    ['Spain without a number (s/n)', 'Plaza de España s/n, 41013 Sevilla'],
    ['Italy with its province', 'Via XX Settembre 5, 16121 Genova (GE)'],
    ['Portugal', 'Rua do Almada, 12, 4050-032 Porto'],
    ['Brazil with bairro, state and CEP', 'Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200'],
    ['Belgium', 'Rue de la Loi 16, 1000 Bruxelles'],
    ['Poland', 'ul. Długa 5/12, 80-827 Gdańsk'],
    // the type inside the name (German, Dutch, Nordic, Finnish) or as its own word
    ['Germany, abbreviated', 'Heinrich-Lübke-Str. 77a, 53113 Bonn'],
    ['Germany, an ending ordinary words share, with its town', 'Kirchhof 3, 89073 Ulm'],
    ['Switzerland with a country prefix', 'Bahnhofstrasse 1, CH-8001 Zürich'],
    ['Netherlands', 'Keizersgracht 123, 1015 CJ Amsterdam'],
    ['Sweden', 'Storgatan 4, 114 55 Stockholm'],
    ['Norway', 'Karl Johans gate 22, 0159 Oslo'],
    ['Finland', 'Mannerheimintie 5, 00100 Helsinki'],
    ['Japan in Latin letters', '1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005'],
    // plural suffixes, and units and floors written in each language
    ['US, a plural street type', '21316 Raleigh Parkways, Duluth, MN 55802'],
    ['Australia, a circuit', '36 Edwards Circuit, Fitzroy VIC 3065'],
    ['France, a flat after the street', '975 Voie de Caumartin Apt. 867, 75009 Paris'],
    ['France, the floor after the street', '3 Quai des Francs-Bourgeois 5 étage, 69002 Lyon'],
    ['Germany, the floor after the number', 'Feuerbachstr. 51a 7 OG, 70176 Stuttgart'],
    ['Italy, the floor after the number', 'Incrocio Bonito 877, Piano 1, 00184 Roma'],
    ['Mexico', 'Priv. Alejandra Orosco Ferrer 9, 06700 Ciudad de México'],
    ['Netherlands, a particle and a floor', 'van der Berglaan 720a 3 hoog achter, 2514 GK Den Haag'],
    ['Sweden, an adjective and a flat', 'Norra Furuvägen 60 Lgh. 351, 123 45 Farsta'],
    ['Denmark, floor and side', 'Jagtvej 75B, 2. tv, 2200 København N'],
    ['Poland, a lowercase type and a flat', 'bulw. Kuliński 38a m. 425, 50-001 Wrocław'],
    [
      'Spain, a Catastro type, s/n and floor side',
      'Ferrocarril Tomás Domínguez s/n. 3º Izda., 41001 Sevilla',
    ],
    ['Brazil, number first with a flat', '2099 Avenida Melo Apto. 509, 01310-100 São Paulo'],
    ['Sweden, a possessive name and a capitalised type', 'Julias Gata 979, 123 45 Farsta'],
    ['Poland, a lowercase type and a flat after the number', 'szosa Napierała 610 m. 998, 00-950 Warszawa'],
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
    ['Japan, chome and banchi with a room', '届け先：', '4丁目9番7号 吉岡186号室', ''],
    ['China, a lane number', '寄到', '祁巷20号', '。'],
    ['Korea, postcode and road', '주소 ', '33471 옥명5길', ''],
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
    ['a Korean noun with the particle 로 and a count', '학교로 5명이 갔다.'],
    ['a season and a year', 'Our Spring 2024 collection is out.'],
    ['a first name ending like a Norwegian street, and a number', 'Please ship Julia 4 copies.'],
    ['a word ending like a German street, a number and no town', 'Der Kirchhof 3 Meter weiter.'],
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
