// Address and URL cases for eval/pii/corpus, appended by make-corpus.ts. Every pool below was written
// by hand for this corpus (street and town names of each country as people write them, not a
// test-data generator's lists nor the detector's type lists in src/pii/address.ts), and draws
// come from their own seeded stream so the rest of the corpus does not move when these change.
import { mulberry32 } from '../../src/pii/sample';
import { type ColumnCase, type Part, type TextCase, textCase } from './corpus';

const rand = mulberry32(0xadd7e55);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
const letters = (n: number) =>
  Array.from({ length: n }, () => 'ABCDEFGHJKLMNPRSTUVWXYZ'[int(0, 22)]).join('');

// --- street addresses, one generator per country's way of writing them -------------------------
const US_NAMES = [
  'Sycamore',
  'Birchwood',
  'Old Mill',
  'Lakeshore',
  'Martin Luther King Jr',
  'Pioneer',
  'Quail Run',
];
const US_TYPES = [
  'Street',
  'Avenue',
  'Blvd',
  'Road',
  'Lane',
  'Drive',
  'Court',
  'Terrace',
  'Parkway',
  'Ridge',
  'Hollow',
];
const US_TOWNS = [
  'Bozeman',
  'Duluth',
  'Cedar Rapids',
  'Fort Collins',
  'St. Cloud',
  'Asheville',
  'Eau Claire',
];
const US_STATES = ['MT', 'MN', 'IA', 'CO', 'NC', 'WI', 'OR'];
const us = () =>
  `${int(10, 98765)} ${rand() < 0.3 ? `${pick(['N', 'S', 'E', 'W'])} ` : ''}${pick(US_NAMES)} ${pick(US_TYPES)}${rand() < 0.3 ? ` ${pick(['Apt', 'Unit', 'Suite'])} ${int(1, 40)}${pick(['', 'B'])}` : ''}, ${pick(US_TOWNS)}, ${pick(US_STATES)} ${digits(5)}${rand() < 0.2 ? `-${digits(4)}` : ''}`;
const ca = () =>
  `${int(1, 9999)} ${pick(['Maple Leaf', 'Rideau', 'Bloor', 'Granville'])} ${pick(['Street', 'Crescent', 'Avenue'])}, ${pick(['Ottawa', 'Toronto', 'Vancouver', 'Halifax'])}, ${pick(['ON', 'BC', 'NS'])} ${letters(1)}${int(1, 9)}${letters(1)} ${int(1, 9)}${letters(1)}${int(1, 9)}`;
const uk = () =>
  `${int(1, 240)} ${pick(['Holly', 'Rectory', 'Kingfisher', 'Chapel', 'Orchard', 'Beech'])} ${pick(['Close', 'Gardens', 'Mews', 'Crescent', 'Grove', 'Rise', 'Lane'])}, ${rand() < 0.3 ? `${pick(['Histon', 'Wroxham', 'Grasmere'])}, ` : ''}${pick(['Harrogate', 'Truro', 'Kendal', 'Stroud', 'Ely'])} ${letters(2)}${int(1, 20)} ${int(1, 9)}${letters(2)}`;
const au = () =>
  `${int(1, 400)} ${pick(['Wattle', 'Banksia', 'Jacaranda', 'Bellbird'])} ${pick(['Street', 'Road', 'Parade', 'Avenue'])}, ${pick(['Surry Hills', 'Fitzroy', 'Toowong', 'Glenelg'])} ${pick(['NSW', 'VIC', 'QLD', 'SA'])} ${int(2000, 5999)}`;
const fr = () =>
  `${int(1, 180)}${pick(['', '', ' bis'])} ${pick(['rue', 'avenue', 'boulevard', 'impasse', 'allée', 'place', 'chemin', 'quai'])} ${pick(['des Tanneurs', 'de la République', 'du Général Leclerc', 'Pasteur', "de l'Église", 'des Acacias'])}, ${digits(5)} ${pick(['Besançon', 'Quimper', 'Annecy', 'Aix-en-Provence', 'Saint-Malo'])}`;
const de = () =>
  pick([
    () =>
      `${pick(['Linden', 'Kastanien', 'Schiller', 'Goethe', 'Mozart', 'Eichen'])}${pick(['straße', 'str.', 'weg', 'allee', 'gasse', 'platz'])} ${int(1, 160)}${pick(['', '', 'a', 'b'])}, ${digits(5)} ${pick(['Freiburg', 'Göttingen', 'Würzburg', 'Lüneburg'])}`,
    () =>
      `${pick(['Berliner', 'Kölner', 'Alte', 'Lange'])} Straße ${int(1, 120)}, ${digits(5)} ${pick(['Mainz', 'Erfurt', 'Bamberg'])}`,
    () =>
      `${pick(['Am', 'Im', 'Auf dem'])} ${pick(['Sonnenhang', 'Brühl', 'Kirchberg', 'Wiesengrund'])} ${int(1, 60)}, ${digits(5)} ${pick(['Ulm', 'Trier', 'Passau'])}`,
  ])();
const ch = () =>
  `${pick(['Bahnhof', 'See', 'Kirch', 'Dorf'])}strasse ${int(1, 90)}, ${int(1000, 9658)} ${pick(['Zürich', 'Luzern', 'Bern', 'Thun'])}`;
const es = () =>
  pick([
    () =>
      `${pick(['Calle', 'Avenida', 'Paseo', 'Plaza', 'C/'])} ${pick(['de Alcalá', 'del Carmen', 'de la Constitución', 'Mayor', 'San Vicente', 'de los Reyes Católicos'])} ${int(1, 240)}${rand() < 0.3 ? `, ${int(1, 9)}º ${pick(['A', 'B', 'C'])}` : ''}, ${digits(5)} ${pick(['Zaragoza', 'Salamanca', 'Cádiz', 'Logroño', 'Santander'])}`,
    () =>
      `${pick(['Camino', 'Carretera'])} ${pick(['del Pozo', 'de Almería', 'Viejo'])} s/n, ${digits(5)} ${pick(['Níjar', 'Huelva', 'Lorca'])}`,
  ])();
const it = () =>
  `${pick(['Via', 'Viale', 'Piazza', 'Corso', 'Vicolo'])} ${pick(['Garibaldi', 'XX Settembre', 'dei Mille', 'Vittorio Emanuele II', 'San Francesco', 'delle Erbe'])} ${int(1, 150)}, ${digits(5)} ${pick(['Bergamo (BG)', 'Lecce (LE)', 'Trento', 'Perugia (PG)', 'Verona'])}`;
const ptPT = () =>
  `Rua ${pick(['da Prata', 'do Almada', 'de Santa Catarina', 'Augusta'])}, ${int(1, 300)}, ${int(1000, 4999)}-${digits(3)} ${pick(['Lisboa', 'Porto', 'Braga', 'Coimbra'])}`;
const ptBR = () =>
  `${pick(['Rua', 'Avenida', 'Travessa'])} ${pick(['das Palmeiras', 'Sete de Setembro', 'Dom Pedro II', 'dos Andradas'])}, ${int(1, 3000)}, ${digits(5)}-${digits(3)} ${pick(['Curitiba', 'Recife', 'Belo Horizonte', 'Porto Alegre'])}`;
const nl = () =>
  `${pick(['Prinsen', 'Heren', 'Keizers', 'Bloemen', 'Kastanje', 'Wilhelmina'])}${pick(['gracht', 'straat', 'laan', 'weg', 'plein', 'kade'])} ${int(1, 300)}, ${int(1000, 9999)} ${letters(2)} ${pick(['Haarlem', 'Groningen', 'Nijmegen', 'Den Haag'])}`;
const pl = () =>
  `ul. ${pick(['Długa', 'Kwiatowa', 'Marszałkowska', 'Piękna'])} ${int(1, 120)}${rand() < 0.4 ? `/${int(1, 40)}` : ''}, ${digits(2)}-${digits(3)} ${pick(['Gdańsk', 'Poznań', 'Łódź', 'Lublin'])}`;
const se = () =>
  `${pick(['Storgatan', 'Kungsgatan', 'Björkvägen', 'Drottninggatan'])} ${int(1, 90)}, ${int(100, 984)} ${digits(2)} ${pick(['Uppsala', 'Umeå', 'Lund', 'Västerås'])}`;
const be = () =>
  `${pick(['Rue', 'Avenue', 'Chaussée', 'Boulevard'])} ${pick(['de Namur', 'Louise', "d'Ixelles", 'du Midi'])} ${int(1, 200)}, ${int(1000, 1210)} ${pick(['Bruxelles', 'Ixelles', 'Etterbeek'])}`;
const no = () =>
  `${pick(['Thorvald Meyers', 'Markveien', 'Bygdøy allé', 'Kongens'])}${pick([' gate', '', ''])} ${int(1, 80)}, ${pick(['0', '5', '7'])}${digits(3)} ${pick(['Oslo', 'Bergen', 'Trondheim'])}`;
const fi = () =>
  `${pick(['Hämeen', 'Aleksanterin', 'Satakunnan', 'Puistola'])}${pick(['katu', 'tie', 'kuja'])} ${int(1, 60)}, ${digits(5)} ${pick(['Tampere', 'Turku', 'Oulu'])}`;
const brFull = () =>
  `${pick(['Rua', 'Av.'])} ${pick(['Oscar Freire', 'Rio Branco', 'Boa Viagem'])}, ${int(1, 3000)} - ${pick(['Jardins', 'Centro', 'Pinheiros'])}, ${pick(['São Paulo', 'Recife', 'Natal'])} - ${pick(['SP', 'PE', 'RN'])}, ${digits(5)}-${digits(3)}`;
const jaLatin = () =>
  `${int(1, 9)}-${int(1, 20)}-${int(1, 30)} ${pick(['Nishi-Shinjuku', 'Umeda', 'Sakae', 'Tenjin'])}, ${pick(['Shinjuku-ku', 'Kita-ku', 'Naka-ku', 'Chuo-ku'])}, ${pick(['Tokyo', 'Osaka', 'Nagoya', 'Fukuoka'])} ${digits(3)}-${digits(4)}`;
const poBox = () =>
  pick([
    () =>
      `${pick(['PO Box', 'P.O. Box'])} ${int(10, 99999)}, ${pick(US_TOWNS)}, ${pick(US_STATES)} ${digits(5)}`,
    () => `Apartado de Correos ${int(1, 9999)}, ${digits(5)} ${pick(['Vigo', 'Murcia', 'Oviedo'])}`,
    () => `Postfach ${int(100, 99999)}, ${digits(5)} ${pick(['Kassel', 'Bonn', 'Kiel'])}`,
  ])();
const ja = () =>
  `${pick(['東京都新宿区西新宿', '神奈川県横浜市中区山下町', '福岡県福岡市博多区博多駅前', '北海道札幌市中央区北一条西'])}${int(1, 9)}-${int(1, 30)}-${int(1, 20)}`;
const zh = () =>
  `${pick(['广东省广州市天河区', '浙江省杭州市西湖区', '四川省成都市武侯区', '上海市徐汇区'])}${pick(['中山路', '人民大道', '文三路', '天府大街'])}${int(1, 999)}号`;
const ko = () =>
  `${pick(['서울특별시 종로구', '부산광역시 해운대구', '대구광역시 수성구'])} ${pick(['세종대로', '센텀중앙로', '달구벌대로'])} ${int(1, 300)}`;

const LATIN_ADDRESSES = {
  us,
  ca,
  uk,
  au,
  fr,
  de,
  ch,
  es,
  it,
  ptPT,
  ptBR,
  brFull,
  nl,
  be,
  pl,
  se,
  no,
  fi,
  jaLatin,
  poBox,
};
const CJK_ADDRESSES = { ja, zh, ko };

// --- URLs -------------------------------------------------------------------------------------
const HOSTS = [
  'shop.example.com',
  'intranet.acme-corp.io',
  'blog.example.org',
  'files.example.net',
  'tickets.example.co.uk',
];
const PATHS = [
  '/orders/48213',
  '/account/settings?tab=billing',
  '/docs/setup#install',
  '/u/7731/profile',
  '/reset?token=9f8a7c',
];
const url = () =>
  pick([
    () => `https://${pick(HOSTS)}${pick(PATHS)}`,
    () => `http://${pick(HOSTS)}:${pick([8080, 8443, 3000])}${pick(PATHS)}`,
    () => `www.${pick(['example', 'contoso', 'fabrikam'])}.${pick(['com', 'de', 'es'])}`,
    () => `${pick(HOSTS)}${pick(PATHS)}`,
  ])();

// --- assembling cases -------------------------------------------------------------------------
const SOURCE = 'autogov eval/pii/address-url-cases.ts';

const text = textCase;

function column(id: string, name: string, labels: string[], gen: () => string): ColumnCase {
  return {
    id,
    name,
    type: 'VARCHAR',
    source: SOURCE,
    labels,
    kind: labels.length ? 'positive' : 'negative',
    group: labels[0] ?? 'NEG',
    values: Array.from({ length: 120 }, gen),
  };
}

export function addressUrlColumns(): ColumnCase[] {
  return [
    ...Object.entries({ ...LATIN_ADDRESSES, ...CJK_ADDRESSES }).map(([loc, gen]) =>
      column(
        `address.${loc}`,
        pick(['address', 'street_address', 'billing_address', 'anschrift', 'direccion']),
        ['ADDRESS'],
        gen,
      ),
    ),
    // Street names without a house number, towns, and numbered things that are not addresses.
    column('neg.street_no_number', 'street', [], () =>
      pick([
        `${pick(US_NAMES)} ${pick(US_TYPES)}`,
        `rue ${pick(['Pasteur', 'des Acacias'])}`,
        `${pick(['Linden', 'Goethe'])}straße`,
        `Calle ${pick(['Mayor', 'del Carmen'])}`,
        `Via ${pick(['Garibaldi', 'dei Mille'])}`,
      ]),
    ),
    column(
      'neg.venue',
      'venue',
      [],
      () =>
        pick(['Hall 3', 'Gate 12', 'Platform 9', 'Room 101', 'Stage 2', 'Court 4', 'Pitch 7']) +
        pick(['', ' (north wing)', ' – upper level']),
    ),
    column('neg.album', 'album', [], () =>
      pick([
        'Highway 61 Revisited',
        'Abbey Road',
        '1989',
        'Back to Route 66',
        'Station to Station',
        'Summer 2019 Mixtape',
        'Top 40 Park Anthems',
      ]),
    ),
  ];
}

export function addressUrlTexts(): TextCase[] {
  const out: TextCase[] = [];
  const A = (gen: () => string): Part => ['ADDRESS', gen()];
  const latin = Object.entries(LATIN_ADDRESSES);
  latin.forEach(([loc, gen], i) => {
    out.push(
      text(`addr.${loc}.0`, 'en', [
        pick(['Please update my address to ', 'Deliver to ', 'Our office moved to ']),
        A(gen),
        '.',
      ]),
      text(`addr.${loc}.1`, i % 2 ? 'es' : 'en', [
        i % 2 ? 'La factura se envió a ' : 'The invoice was sent to ',
        A(gen),
        i % 2 ? ' el mes pasado.' : ' last month.',
      ]),
    );
  });
  for (const [loc, gen] of Object.entries(CJK_ADDRESSES))
    out.push(text(`addr.${loc}.0`, 'en', ['Shipping address: ', A(gen), ' (please ring twice).']));
  for (let i = 0; i < 8; i++)
    out.push(
      text(`url.${i}`, i % 2 ? 'es' : 'en', [
        pick(
          i % 2
            ? ['Más información en ', 'Descargue el archivo desde ']
            : ['Reset your password at ', 'Details: ', 'See '],
        ),
        ['URL', url()],
        pick(['.', ' today.', ', thanks!', ' for more.']),
      ]),
    );
  out.push(
    text('url.paren', 'en', ['The form (', ['URL', 'https://forms.example.com/f/311'], ') closes tomorrow.']),
    text('url.ip_host', 'en', ['The dashboard runs on ', ['IP_ADDRESS', '10.20.30.40'], ' inside the VPN.']),
  );
  // Hard negatives: numbers beside street-type words, file names, code, versions.
  const negatives = [
    'We bought 2 Hyde Park tickets for the weekend.',
    'The Via Rail 2023 timetable is out.',
    'Am Ende 3 Tore, und das Spiel war vorbei.',
    'Bach wrote Suite 3 in D major.',
    'Open report.pdf and notes.txt before the call.',
    'Built with Node.js and Vue.js, version 3.4.1.',
    'Chapter 12 covers the Silk Road trade.',
    'Platform 9 at Central Station is closed.',
    'Apollo 13 Mission Control answered.',
  ];
  negatives.forEach((t, i) => {
    out.push(text(`neg.addr_url.${i}`, 'en', [t], ['negative']));
  });
  return out;
}
