// Builds eval/pii/corpus/{columns,texts}.jsonl: `npx tsx eval/pii/make-corpus.ts`.
// Every value pool below was written by hand for this corpus (not taken from a test-data
// generator nor from the lists the detectors use), so the figures measure the detectors.
// Numbers that carry checksums (cards, IBANs, SSN rules) are computed here from their specs.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/pii/sample';
import { addressUrlColumns, addressUrlTexts } from './address-url-cases';
import { type ColumnCase, type Part, type TextCase, textCase } from './corpus';

const OUT = path.join(__dirname, 'corpus');
const CELLS = 120;

// --- deterministic randomness ----------------------------------------------------------------
const rand = mulberry32(0x9a2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
const pad = (n: number, w: number) => String(n).padStart(w, '0');

// --- hand-written pools ----------------------------------------------------------------------
const GIVEN: Record<string, string[]> = {
  en: [
    'Harriet',
    'Desmond',
    'Rosalind',
    'Clifford',
    'Imogen',
    'Wesley',
    'Maude',
    'Rupert',
    'Ottilie',
    'Gareth',
    'Tamsin',
    'Jasper',
    'Beatrix',
    'Lionel',
    'Winifred',
    'Cormac',
  ],
  de: [
    'Jürgen',
    'Annegret',
    'Wolfgang',
    'Heike',
    'Dietmar',
    'Sieglinde',
    'Ruprecht',
    'Gudrun',
    'Henrike',
    'Volker',
    'Lieselotte',
    'Torsten',
  ],
  fr: [
    'Thibault',
    'Ségolène',
    'Aurélien',
    'Maëlle',
    'Gaspard',
    'Solène',
    'Baptiste',
    'Clémence',
    'Anatole',
    'Héloïse',
    'Régis',
    'Apolline',
  ],
  es: [
    'Inmaculada',
    'Gonzalo',
    'Remedios',
    'Ignacio',
    'Almudena',
    'Fulgencio',
    'Montserrat',
    'Leandro',
    'Rocío',
    'Baltasar',
    'Consuelo',
    'Eusebio',
  ],
  it: [
    'Gianluca',
    'Ornella',
    'Massimiliano',
    'Graziella',
    'Ottavio',
    'Loredana',
    'Fiorenzo',
    'Benedetta',
    'Raffaele',
    'Donatella',
    'Ercole',
    'Annunziata',
  ],
  pt: [
    'Joaquim',
    'Conceição',
    'Sebastião',
    'Graça',
    'Anselmo',
    'Iolanda',
    'Ruy',
    'Benedita',
    'Hermínio',
    'Leonor',
  ],
  tr: ['Mustafa', 'Gülşen', 'Oğuzhan', 'Şebnem', 'Tuncay', 'Nurhan', 'Erdem', 'Yeşim', 'Kadir', 'Dilek'],
  pl: [
    'Grzegorz',
    'Bożena',
    'Przemysław',
    'Jadwiga',
    'Wojciech',
    'Małgorzata',
    'Zbigniew',
    'Urszula',
    'Tadeusz',
    'Halina',
  ],
  nl: ['Joost', 'Marijke', 'Sjoerd', 'Anouk', 'Pieter', 'Femke', 'Huub', 'Lieke', 'Teun', 'Geertje'],
  in: [
    'Venkatesh',
    'Lakshmi',
    'Sandeep',
    'Kavitha',
    'Rajesh',
    'Deepika',
    'Anand',
    'Sunita',
    'Prakash',
    'Meenakshi',
  ],
};
const FAMILY: Record<string, string[]> = {
  en: [
    'Pemberton',
    'Whitlock',
    'Ashworth',
    'Fairbanks',
    'Holloway',
    'Kingsley',
    'Thornton',
    'Blackwood',
    'Carrington',
    'Ellsworth',
    'Hargreaves',
    'Lockhart',
    'Prescott',
    'Radcliffe',
  ],
  de: [
    'Schwarzkopf',
    'Brandauer',
    'Kleinschmidt',
    'Oberhuber',
    'Wendland',
    'Hoffmeister',
    'Rautenberg',
    'Zimmermann',
    'Liebherr',
    'Großmann',
    'Ackermann',
    'Böhm',
  ],
  fr: [
    'Delacroix',
    'Beaumarchais',
    'Lefebvre',
    'Rousseau',
    'Marchand',
    'Vasseur',
    'Garnier',
    'Chevalier',
    'Fontaine',
    'Lemaître',
    'Dufresne',
    'Moreau',
  ],
  es: [
    'Villanueva',
    'Echeverría',
    'Castañeda',
    'Arriaga',
    'Benítez',
    'Quintana',
    'Olmedo',
    'Zubizarreta',
    'Carvajal',
    'Iglesias',
    'Peñalver',
    'Saavedra',
  ],
  it: [
    'Bianchini',
    'Castellano',
    'De Luca',
    'Ferraro',
    'Galli',
    'Lombardi',
    'Mancini',
    'Santoro',
    'Vitale',
    'Zanetti',
    'Morelli',
    'Esposito',
  ],
  pt: [
    'Magalhães',
    'Figueiredo',
    'Carvalho',
    'Nogueira',
    'Albuquerque',
    'Sampaio',
    'Teixeira',
    'Pacheco',
    'Gouveia',
    'Rebelo',
  ],
  tr: ['Yıldırım', 'Öztürk', 'Karaca', 'Aydın', 'Şahin', 'Çelik', 'Demirci', 'Kaplan', 'Ertuğrul', 'Korkmaz'],
  pl: [
    'Wiśniewski',
    'Kowalczyk',
    'Zieliński',
    'Szymańska',
    'Woźniak',
    'Dąbrowski',
    'Kamińska',
    'Lewandowski',
    'Grabowska',
    'Pawłowski',
  ],
  nl: [
    'van der Berg',
    'de Vries',
    'Bakker',
    'Visser',
    'Smits',
    'de Jong',
    'Mulder',
    'Dekker',
    'van Dijk',
    'Hendriks',
  ],
  in: [
    'Subramanian',
    'Chatterjee',
    'Raghavan',
    'Deshpande',
    'Iyer',
    'Banerjee',
    'Krishnan',
    'Malhotra',
    'Venkataraman',
    'Bhattacharya',
  ],
};
const LATIN_LOCALES = Object.keys(GIVEN);
const CJK_NAMES = {
  zh: [
    '王建国',
    '李秀英',
    '张伟',
    '刘洋',
    '陈静',
    '杨帆',
    '黄磊',
    '赵敏',
    '周杰',
    '吴芳',
    '徐明',
    '孙丽',
    '马超',
    '朱婷',
    '胡斌',
    '郭晶',
  ],
  ja: [
    '佐藤 健一',
    '鈴木 美咲',
    '高橋 大輔',
    '田中 陽子',
    '渡辺 翔太',
    '伊藤 愛',
    '山本 直人',
    '中村 恵',
    '小林 誠',
    '加藤 由美',
    '吉田 拓也',
    '山田 花子',
  ],
  ko: ['김민준', '이서연', '박지훈', '최수빈', '정우진', '강하은', '조현우', '윤서아', '장도윤', '임지아'],
};
const CITIES = [
  'Springfield',
  'Aberdeen',
  'Tübingen',
  'Lyon',
  'Valladolid',
  'Bologna',
  'Porto',
  'Eskişehir',
  'Kraków',
  'Utrecht',
  'Pune',
  'Halifax',
  'Ballarat',
  'Nagoya',
  'Daegu',
  'Chengdu',
  'Victoria',
  'Florence',
  'Charlotte',
  'Regina',
  'Marion',
  'Augusta',
  'Santa Monica',
  'Saint-Étienne',
  'Jackson',
];
const STREETS_AFTER_PEOPLE = [
  'Victor Hugo',
  'Martin Luther King',
  'Abraham Lincoln',
  'Konrad Adenauer',
  'Miguel de Cervantes',
  'Giuseppe Garibaldi',
  'Simón Bolívar',
  'Marie Curie',
  'Winston Churchill',
  'Rosa Parks',
  'Frederick Douglass',
  'Pablo Neruda',
  'Jean Jaurès',
  'Thomas Mann',
  'Clara Schumann',
];
const STREET_FORMS: ((p: string) => string)[] = [
  (p) => `${p} Avenue`,
  (p) => `${p} Boulevard`,
  (p) => `${p.replace(/ /g, '-')}-Straße`,
  (p) => `Rue ${p}`,
  (p) => `Avenida ${p}`,
  (p) => `Via ${p}`,
  (p) => `Calle ${p}`,
  (p) => `${p} Drive`,
  (p) => `Place ${p}`,
  (p) => `${p}laan`,
];
const COMPANY_FORMS: ((a: string, b: string) => string)[] = [
  (a, b) => `${a} & ${b} GmbH`,
  (a, b) => `${a} ${b} S.A.`,
  (a, b) => `${a}, ${b} & Partners LLP`,
  (a) => `${a} Holdings Inc.`,
  (a) => `${a} & Söhne KG`,
  (a, b) => `${a} e ${b} S.p.A.`,
  (a) => `${a} Brothers Ltd`,
  (a, b) => `${a}-${b} Consulting`,
  (a) => `Studio ${a} SARL`,
  (a) => `${a} B.V.`,
];
const FACILITY_FORMS: ((p: string) => string)[] = [
  (p) => `${p} International Airport`,
  (p) => `${p} Memorial Hospital`,
  (p) => `${p} High School`,
  (p) => `${p} University`,
  (p) => `${p} Municipal Library`,
  (p) => `${p} Stadium`,
  (p) => `${p.toUpperCase()} INTL`,
  (p) => `${p} Elementary School`,
  (p) => `${p} Regional Medical Center`,
  (p) => `${p} Concert Hall`,
];
const FAMOUS = [
  'John F. Kennedy',
  'Charles de Gaulle',
  'Indira Gandhi',
  'Leonardo da Vinci',
  'Ronald Reagan',
  'George Bush',
  'Ataturk',
  'Frédéric Chopin',
  'Jomo Kenyatta',
  'Chhatrapati Shivaji',
  'Marco Polo',
  'Willy Brandt',
  'Louis Armstrong',
  'Galileo Galilei',
];
const BOOKS = [
  'The Old Man and the Sea',
  'Anna Karenina',
  'Madame Bovary',
  'Don Quixote',
  'Emma',
  'Oliver Twist',
  'Jane Eyre',
  'David Copperfield',
  'Tom Sawyer',
  'Uncle Vanya',
  'Hamlet',
  'Robinson Crusoe',
  'Little Women',
  'Moby Dick',
  'Mrs Dalloway',
  'Eugene Onegin',
  'Tristram Shandy',
  'Peter Pan',
];
const PRODUCTS = [
  'Aurora Desk Lamp',
  'Granite Water Bottle',
  'Nimbus Rain Jacket',
  'Vector Mouse Pad',
  'Harbor Coffee Mug',
  'Summit Backpack',
  'Echo Bluetooth Speaker',
  'Willow Armchair',
  'Falcon Road Bike',
  'Pebble Phone Case',
  'Ember Scented Candle',
  'Atlas Globe',
];
const JOB_TITLES = [
  'Senior Data Engineer',
  'Head of Procurement',
  'Chief Financial Officer',
  'Regional Sales Manager',
  'Lead UX Designer',
  'Staff Nurse',
  'Compliance Officer',
  'Warehouse Supervisor',
  'Dr. of Pharmacy',
  'Associate Professor',
  'Site Reliability Engineer',
  'Marketing Director',
];
const COUNTRIES = [
  'Germany',
  'Chad',
  'Jordan',
  'Georgia',
  'Israel',
  'Colombia',
  'Ireland',
  'Kenya',
  'Peru',
  'Mali',
  'Austria',
  'Brazil',
  'Chile',
  'Sweden',
  'Turkey',
  'Vietnam',
];
const TEAMS = [
  'Manchester United',
  'Real Madrid',
  'Bayern Munich',
  'Boston Celtics',
  'Chicago Bulls',
  'Juventus',
  'Ajax Amsterdam',
  'Olympique Lyonnais',
  'Galatasaray',
  'Benfica',
];
const GREETINGS = ['Thanks', 'Hi', 'Dear', 'Hello', 'Cheers', 'Regards'];
const COMMENT_FILLER = [
  'Delivery arrived two days late.',
  'Great service, would order again.',
  'The box was damaged but the item was fine.',
  'Please cancel my subscription.',
  'Invoice attached for the March order.',
  'No issues so far.',
  'The app keeps logging me out.',
  'Colour was not as pictured.',
  'Refund processed, thank you.',
  'Can you update the shipping address?',
];

const latinName = (loc = pick(LATIN_LOCALES)) => `${pick(GIVEN[loc]!)} ${pick(FAMILY[loc]!)}`;
const anyName = () => (rand() < 0.2 ? pick(pick(Object.values(CJK_NAMES))) : latinName());

// --- numbers with checksums ------------------------------------------------------------------
function luhnComplete(prefix: string, length: number): string {
  let body = prefix + digits(length - prefix.length - 1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  body += String((10 - (sum % 10)) % 10);
  return body;
}
const card = () =>
  pick([
    () => luhnComplete(`4${digits(5)}`, 16),
    () => luhnComplete(String(int(51, 55)), 16),
    () => luhnComplete(pick(['34', '37']), 15),
    () => luhnComplete('6011', 16),
  ])();
const groups4 = (s: string) => s.replace(/(\d{4})(?=\d)/g, '$1 ');

/** ISO 13616: check digits make the rearranged number ≡ 1 mod 97. */
function iban(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  return `${country}${pad(98 - rem, 2)}${bban}`;
}
const IBAN_BBAN: Record<string, () => string> = {
  DE: () => digits(18),
  FR: () => `${digits(10)}${'ABCDEFGHJK'[int(0, 9)]}${digits(10)}${digits(2)}`,
  ES: () => digits(20),
  IT: () => `${'XYZKLM'[int(0, 5)]}${digits(10)}${digits(12)}`,
  NL: () => `${pick(['ABNA', 'RABO', 'INGB', 'TRIO'])}${digits(10)}`,
  GB: () => `${pick(['NWBK', 'BARC', 'LOYD', 'HBUK'])}${digits(6)}${digits(8)}`,
  BE: () => digits(12),
};
const anyIban = () => {
  const c = pick(Object.keys(IBAN_BBAN));
  return iban(c, IBAN_BBAN[c]!());
};

const ssnParts = () => {
  let area = int(1, 899);
  if (area === 666) area = 667;
  return [pad(area, 3), pad(int(1, 99), 2), pad(int(1, 9999), 4)] as const;
};

// National formats per region, as each numbering plan writes them.
const PHONES: Record<string, () => string> = {
  US: () => `(${int(201, 989)}) ${int(200, 989)}-${digits(4)}`,
  GB: () =>
    pick([
      `020 7${digits(3)} ${digits(4)}`,
      `0161 ${int(200, 999)} ${digits(4)}`,
      `07${int(400, 999)} ${digits(6)}`,
    ]),
  DE: () =>
    pick([
      `030 ${int(2, 9)}${digits(6)}`,
      `089 ${int(2, 9)}${digits(6)}`,
      `0151 ${int(1, 9)}${digits(7)}`,
      `0171 ${int(1, 9)}${digits(6)}`,
    ]),
  FR: () => `0${int(1, 7)} ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
  ES: () =>
    `${pick(['91', '93', '96', '61', '62', '63', '68', '69', '71'])}${digits(1)} ${digits(3)} ${digits(3)}`,
  JP: () =>
    pick([
      `03-${int(3000, 6999)}-${digits(4)}`,
      `090-${int(1000, 9999)}-${digits(4)}`,
      `06-${int(6000, 6999)}-${digits(4)}`,
    ]),
  IN: () => `${int(7, 9)}${digits(4)} ${digits(5)}`,
  BR: () => `(${pick(['11', '21', '31', '41', '51'])}) 9${digits(4)}-${digits(4)}`,
  NL: () => pick([`020 ${int(2, 9)}${digits(2)} ${digits(4)}`, `06 ${int(1, 5)}${digits(7)}`]),
  IT: () => pick([`06 ${int(4, 9)}${digits(7)}`, `3${int(20, 49)} ${digits(3)} ${digits(4)}`]),
};

const isoDate = (y0: number, y1: number) => `${int(y0, y1)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`;
const ADDRESS: (() => string)[] = [
  () =>
    `${int(1, 9999)} ${pick(['Maple', 'Cedar', 'Willow', 'Juniper', 'Hawthorn'])} ${pick(['Street', 'Avenue', 'Road', 'Lane', 'Court'])}, ${pick(CITIES)}, ${pick(['OH', 'TX', 'WA', 'GA', 'NY'])} ${digits(5)}`,
  () =>
    `${pick(['Lindenstraße', 'Hauptstraße', 'Gartenweg', 'Bahnhofstraße', 'Am Markt'])} ${int(1, 140)}, ${digits(5)} ${pick(['Tübingen', 'Kassel', 'Bremen', 'Jena'])}`,
  () =>
    `${int(1, 80)} rue ${pick(['des Lilas', 'du Moulin', 'de la Gare', 'Saint-Honoré'])}, ${digits(5)} ${pick(['Lyon', 'Nantes', 'Lille', 'Rennes'])}`,
  () =>
    `Calle ${pick(['Mayor', 'del Sol', 'de la Luna', 'Real'])} ${int(1, 90)}, ${digits(5)} ${pick(['Madrid', 'Sevilla', 'Bilbao', 'Málaga'])}`,
  () =>
    `Via ${pick(['dei Mille', 'della Spiga', 'Nazionale', 'del Corso'])} ${int(1, 200)}, ${digits(5)} ${pick(['Torino', 'Bari', 'Genova', 'Parma'])}`,
  () =>
    `${pick(['Kerkstraat', 'Molenweg', 'Dorpsstraat', 'Schoolstraat'])} ${int(1, 200)}, ${digits(4)} ${pick(['AB', 'KL', 'RT', 'XZ'])} ${pick(['Utrecht', 'Leiden', 'Delft', 'Zwolle'])}`,
  () =>
    `Flat ${int(1, 30)}, ${int(1, 200)} ${pick(['Station', 'Church', 'Mill', 'Victoria'])} Road, ${pick(['Leeds', 'Bristol', 'Derby', 'Bath'])} ${pick(['LS', 'BS', 'DE', 'BA'])}${int(1, 20)} ${int(1, 9)}${pick(['AB', 'QT', 'XW', 'HN'])}`,
];

// --- columns ---------------------------------------------------------------------------------
const columns: ColumnCase[] = [];
function col(
  id: string,
  name: string,
  labels: string[],
  kind: ColumnCase['kind'],
  gen: (i: number) => string | null,
  type = 'VARCHAR',
): void {
  const values = Array.from({ length: CELLS }, (_, i) => gen(i));
  const group = kind === 'negative' ? 'NEG' : kind === 'mixed' ? 'MIXED' : (labels[0] ?? 'NEG');
  columns.push({ id, name, type, source: 'autogov eval/pii/make-corpus.ts', labels, kind, group, values });
}

for (const loc of LATIN_LOCALES)
  col(`full_name.${loc}`, 'customer_name', ['PERSON_NAME'], 'positive', () => latinName(loc));
for (const [loc, names] of Object.entries(CJK_NAMES))
  col(`full_name.${loc}`, 'name', ['PERSON_NAME'], 'positive', () => pick(names));
col('first_name.mixed', 'first_name', ['PERSON_NAME'], 'positive', () => pick(GIVEN[pick(LATIN_LOCALES)]!));
col('last_name.mixed', 'surname', ['PERSON_NAME'], 'positive', () => pick(FAMILY[pick(LATIN_LOCALES)]!));
col('last_comma_first', 'contact', ['PERSON_NAME'], 'positive', () => {
  const l = pick(LATIN_LOCALES);
  return `${pick(FAMILY[l]!)}, ${pick(GIVEN[l]!)}`;
});
col('name_upper', 'holder', ['PERSON_NAME'], 'positive', () => latinName().toUpperCase());
col('name_initial', 'signed_by', ['PERSON_NAME'], 'positive', () => {
  const l = pick(LATIN_LOCALES);
  return `${pick(GIVEN[l]!)} ${pick(GIVEN[l]!)[0]}. ${pick(FAMILY[l]!)}`;
});
col('name_half_null', 'emergency_contact', ['PERSON_NAME'], 'positive', () =>
  rand() < 0.7 ? null : latinName(),
);
col('email.mixed', 'email', ['EMAIL'], 'positive', () => {
  const l = pick(LATIN_LOCALES);
  const local = `${pick(GIVEN[l]!)}.${pick(FAMILY[l]!)}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z.]/g, '');
  return `${local}${int(1, 99)}@${pick(['mailbox.org', 'posteo.de', 'example.co.uk', 'correo.es', 'free.fr', 'outlook.com'])}`;
});
col('email.contact', 'contact_email', ['EMAIL', 'PERSON_NAME'], 'positive', () => {
  const n = latinName('en');
  return `${n} <${n.toLowerCase().replace(' ', '.')}@example.com>`;
});
for (const [region, gen] of Object.entries(PHONES))
  col(`phone.${region}`, 'phone', ['PHONE_NUMBER'], 'positive', gen);
col('phone.intl', 'mobile', ['PHONE_NUMBER'], 'positive', () =>
  pick([
    `+44 7${int(400, 999)} ${digits(6)}`,
    `+49 151 ${digits(8)}`,
    `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
    `+1 ${int(201, 989)} ${int(200, 989)} ${digits(4)}`,
  ]),
);
col('ssn.dashed', 'ssn', ['USA_SSN'], 'positive', () => ssnParts().join('-'));
col('ssn.bare', 'ssn', ['USA_SSN'], 'positive', () => ssnParts().join(''));
col('ssn.bare_named', 'social_security_number', ['USA_SSN'], 'positive', () => ssnParts().join(''));
col('passport.bare', 'passport_no', ['USA_PASSPORT_NUMBER'], 'positive', () =>
  rand() < 0.5 ? `${'ACEFGHJKLMNPRSTUVWXYZ'[int(0, 20)]}${digits(8)}` : `${int(1, 9)}${digits(8)}`,
);
col('bank_account.bare', 'account_number', ['BANK_ACCOUNT'], 'positive', () => digits(int(9, 14)));
col('iban.compact', 'iban', ['BANK_ACCOUNT'], 'positive', anyIban);
col('iban.grouped', 'payout_account', ['BANK_ACCOUNT'], 'positive', () =>
  anyIban().replace(/(.{4})(?=.)/g, '$1 '),
);
col('card.grouped', 'card_number', ['CREDIT_CARD'], 'positive', () => groups4(card()));
col('card.bare', 'pan', ['CREDIT_CARD'], 'positive', card);
col(
  'ip.v4',
  'client_ip',
  ['IP_ADDRESS'],
  'positive',
  () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
);
col('ip.v6', 'source_addr', ['IP_ADDRESS'], 'positive', () =>
  Array.from({ length: 8 }, () => int(0, 0xffff).toString(16)).join(':'),
);
col('mac', 'device_mac', ['MAC_ADDRESS'], 'positive', () =>
  Array.from({ length: 6 }, () => int(0, 255).toString(16).padStart(2, '0')).join(':'),
);
col('dob.iso', 'date_of_birth', ['DATE_OF_BIRTH'], 'positive', () => isoDate(1940, 2006));
col(
  'dob.eu',
  'birth_date',
  ['DATE_OF_BIRTH'],
  'positive',
  () => `${pad(int(1, 28), 2)}/${pad(int(1, 12), 2)}/${int(1940, 2006)}`,
);
col('dob.typed', 'dob', ['DATE_OF_BIRTH'], 'positive', () => isoDate(1940, 2006), 'DATE');
col('address.mixed', 'address', ['ADDRESS'], 'positive', () => pick(ADDRESS)());
col('address.us', 'shipping_address', ['ADDRESS'], 'positive', ADDRESS[0]!);
col('address.eu', 'anschrift', ['ADDRESS'], 'positive', () => pick(ADDRESS.slice(1))());

// Mixed free text: a share of the comments carries an entity.
col('comments.names', 'comment', ['PERSON_NAME'], 'mixed', () =>
  rand() < 0.35
    ? `${pick(GREETINGS)} ${latinName()}, ${pick(COMMENT_FILLER).toLowerCase()}`
    : pick(COMMENT_FILLER),
);
col('comments.email_phone', 'notes', ['EMAIL', 'PHONE_NUMBER'], 'mixed', () => {
  const r = rand();
  if (r < 0.25)
    return `${pick(COMMENT_FILLER)} Reach me at ${pick(GIVEN.en!).toLowerCase()}${int(1, 99)}@example.net`;
  if (r < 0.5) return `${pick(COMMENT_FILLER)} Call back on ${PHONES.US!()}`;
  return pick(COMMENT_FILLER);
});
col('comments.below', 'feedback', [], 'mixed', () =>
  rand() < 0.04 ? `${pick(COMMENT_FILLER)} write to ops${int(1, 9)}@example.org` : pick(COMMENT_FILLER),
);

// Hard negatives: things that look like the entities, or are built from names.
col('neg.city', 'city', [], 'negative', () => pick(CITIES));
col('neg.street_people', 'street', [], 'negative', () => pick(STREET_FORMS)(pick(STREETS_AFTER_PEOPLE)));
col('neg.company_surnames', 'company', [], 'negative', () => {
  const l = pick(LATIN_LOCALES);
  return pick(COMPANY_FORMS)(pick(FAMILY[l]!), pick(FAMILY[l]!));
});
col('neg.facility_famous', 'facility', [], 'negative', () => pick(FACILITY_FORMS)(pick(FAMOUS)));
col('neg.book', 'title', [], 'negative', () => pick(BOOKS));
col('neg.product', 'name', [], 'negative', () => pick(PRODUCTS));
col('neg.job', 'job_title', [], 'negative', () => pick(JOB_TITLES));
col('neg.country', 'country', [], 'negative', () => pick(COUNTRIES));
col('neg.team', 'team', [], 'negative', () => pick(TEAMS));
col('neg.email_verified', 'email_verified', [], 'negative', () => pick(['true', 'false']));
col('neg.phone_type', 'phone_type', [], 'negative', () => pick(['mobile', 'home', 'work', 'fax']));
col('neg.ssn_status', 'ssn_status', [], 'negative', () => pick(['verified', 'pending', 'missing']));
col('neg.name_id', 'name_id', [], 'negative', () => String(int(1, 99999)), 'INTEGER');
col('neg.order_no', 'order_number', [], 'negative', () => `${int(1, 9)}${digits(9)}`);
col('neg.amount', 'amount', [], 'negative', () => `${int(1, 99999)}.${digits(2)}`);
col(
  'neg.version',
  'build',
  [],
  'negative',
  () => `${int(1, 20)}.${int(0, 30)}.${int(0, 300)}.${int(0, 9999)}`,
);
col('neg.uuid', 'request_id', [], 'negative', () =>
  [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('')).join('-'),
);
col('neg.sha', 'commit', [], 'negative', () =>
  Array.from({ length: 40 }, () => int(0, 15).toString(16)).join(''),
);
col(
  'neg.timestamp',
  'created_at',
  [],
  'negative',
  () => `${isoDate(2019, 2025)} ${pad(int(0, 23), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)}`,
);
col('neg.event_date', 'shipped_on', [], 'negative', () => isoDate(2019, 2025));
col('neg.zip', 'postal_code', [], 'negative', () => digits(5));
col(
  'neg.latlon',
  'coordinates',
  [],
  'negative',
  () => `${(rand() * 180 - 90).toFixed(5)}, ${(rand() * 360 - 180).toFixed(5)}`,
);
col('neg.sku', 'sku', [], 'negative', () => `${pick(['AB', 'KT', 'ZX'])}-${digits(4)}-${digits(4)}`);
col('neg.isbn', 'isbn', [], 'negative', () => `978-${int(0, 1)}-${digits(3)}-${digits(5)}-${int(0, 9)}`);
col('neg.percent', 'discount', [], 'negative', () => `${int(0, 90)}%`);
col('neg.words', 'tags', [], 'negative', () =>
  pick(['blue', 'summer sale', 'clearance', 'new arrival', 'limited', 'eco']),
);
col('neg.status_text', 'status_message', [], 'negative', () => pick(COMMENT_FILLER));
col(
  'neg.greeting_city',
  'event',
  [],
  'negative',
  () =>
    `${pick(['Meetup in', 'Workshop at', 'Launch party,', 'Conference'])} ${pick(CITIES)} ${int(2019, 2026)}`,
);
col('neg.airport_code', 'airport', [], 'negative', () =>
  pick(['LHR', 'CDG', 'FRA', 'MAD', 'FCO', 'AMS', 'JFK', 'NRT', 'ICN', 'PEK']),
);
col('neg.currency', 'currency', [], 'negative', () => pick(['EUR', 'USD', 'GBP', 'JPY', 'INR', 'BRL']));
col(
  'neg.mixed_case_code',
  'promo_code',
  [],
  'negative',
  () => `${pick(['SPRING', 'WELCOME', 'VIP'])}${int(10, 99)}`,
);
col('neg.counts', 'quantity', [], 'negative', () => String(int(1, 500)), 'BIGINT');
col(
  'neg.hex_color',
  'colour',
  [],
  'negative',
  () => `#${Array.from({ length: 6 }, () => int(0, 15).toString(16)).join('')}`,
);

// --- texts -----------------------------------------------------------------------------------
const texts: TextCase[] = [];
const text = (...args: Parameters<typeof textCase>) => void texts.push(textCase(...args));
const N = (v = anyName()): Part => ['NAME', v];
const E = (name = latinName('en')): Part => [
  'EMAIL',
  `${name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .replace(' ', '.')}@example.org`,
];
const P = (region = pick(Object.keys(PHONES))): Part => ['PHONE', PHONES[region]!()];
const D = (): Part => [
  'DATE_TIME',
  pick([
    isoDate(2020, 2026),
    `${int(1, 28)} ${pick(['March', 'June', 'October'])} ${int(2020, 2026)}`,
    `${pick(['January', 'May', 'August'])} ${int(1, 28)}, ${int(2020, 2026)}`,
  ]),
];
const A = (): Part => ['ADDRESS', pick(ADDRESS)()];

for (let i = 0; i < 6; i++) {
  text(`contact.${i}`, 'en', ['Please contact ', N(latinName()), ' at ', E(), ' or ', P('US'), '.']);
  text(`greeting.${i}`, 'en', [
    `${pick(GREETINGS)} `,
    N(latinName()),
    ', your parcel left our depot on ',
    D(),
    '.',
  ]);
  text(`possessive.${i}`, 'en', [
    N(latinName('en')),
    "'s laptop was flagged after logins from ",
    ['IP_ADDRESS', `${int(11, 200)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`],
    '.',
  ]);
  text(`cjk.${i}`, 'en', [
    'Meeting notes: ',
    N(pick(pick(Object.values(CJK_NAMES)))),
    ' will review the contract.',
  ]);
  text(`phone_national.${i}`, 'en', [
    'Our ',
    pick(['Leeds', 'Hamburg', 'Lyon', 'Osaka']),
    ' desk is on ',
    P(pick(['GB', 'DE', 'FR', 'JP'])),
    ' during office hours.',
  ]);
  text(`iban.${i}`, 'en', [
    'Refund to IBAN ',
    ['INTERNATIONAL_BANK_ACCOUNT_NUMBER', anyIban().replace(/(.{4})(?=.)/g, '$1 ')],
    ' approved by ',
    N(latinName()),
    '.',
  ]);
  text(`ship.${i}`, 'en', ['Ship to ', N(latinName()), ', ', A(), '.']);
  text(`ssn.${i}`, 'en', [
    'Applicant ',
    N(latinName('en')),
    ' gave SSN ',
    ['SSN', ssnParts().join('-')],
    ' on ',
    D(),
    '.',
  ]);
  text(`card.${i}`, 'en', [
    'Card ',
    ['CREDIT_DEBIT_NUMBER', groups4(card())],
    ' was declined for ',
    N(latinName()),
    '.',
  ]);
  text(`es.${i}`, 'es', [
    'Estimado ',
    N(latinName('es')),
    ', su pedido llegará a ',
    A(),
    '. Llámenos al ',
    P('ES'),
    '.',
  ]);
  text(`emoji.${i}`, 'en', ['🙌🏾 Big thanks to ', N(latinName()), ' for the help!'], ['astral']);
}
// Negatives: names of people inside places, companies, facilities, titles; numbers that are not PII.
for (let i = 0; i < 6; i++) {
  text(
    `neg.street.${i}`,
    'en',
    [`The parade goes down ${pick(STREET_FORMS)(pick(STREETS_AFTER_PEOPLE))} at noon.`],
    ['negative'],
  );
  text(
    `neg.company.${i}`,
    'en',
    [`Invoice issued by ${pick(COMPANY_FORMS)(pick(FAMILY.de!), pick(FAMILY.fr!))} for consulting.`],
    ['negative'],
  );
  text(
    `neg.facility.${i}`,
    'en',
    [`Flights were diverted to ${pick(FACILITY_FORMS)(pick(FAMOUS))} overnight.`],
    ['negative'],
  );
  text(`neg.book.${i}`, 'en', [`Our book club is reading "${pick(BOOKS)}" this month.`], ['negative']);
  text(
    `neg.numbers.${i}`,
    'en',
    [
      `Build ${int(1, 20)}.${int(0, 9)}.${int(0, 99)}.${int(0, 999)} fixed order ${int(1, 9)}${digits(7)} and SKU ${pick(['AB', 'ZX'])}-${digits(4)}.`,
    ],
    ['negative'],
  );
  text(`neg.team.${i}`, 'en', [`${pick(TEAMS)} beat ${pick(TEAMS)} in ${pick(CITIES)}.`], ['negative']);
  text(
    `neg.product.${i}`,
    'en',
    [`The ${pick(PRODUCTS)} is back in stock at our ${pick(CITIES)} store.`],
    ['negative'],
  );
}

// More hard negatives (issue 9, lane 9b): surnames that are English words, places named after
// people, user agents whose versions look like IPv4 addresses, and their positive counterpart
// (a courtesy title makes a word-surname a person: "Mr Brown", not "Brown Bread"). Generated last
// so the cases above keep their bytes.
const DISHES = [
  'Brown Bread',
  'Green Curry',
  "Shepherd's Pie",
  'Black Forest Gateau',
  'White Bean Soup',
  'Rich Tea Biscuits',
  'Young Coconut Water',
  'Baker Street Breakfast',
  'Rose Lemonade',
  'Cook Island Tuna',
  'Mason Jar Salad',
  'Hunter Chicken',
  'Bishop Cake',
  'King Prawn Skewers',
  'Fisher Pie',
  'Summer Pudding',
];
const PLACES_AFTER_PEOPLE = [
  'Fort Collins',
  'Port Elizabeth',
  'Mount Vernon',
  'Lake Charles',
  'Grand Rapids',
  'Palm Springs',
  'Baton Rouge',
  'Colorado Springs',
  'Fort Wayne',
  'Johnson City',
  'Carson City',
  'Elizabeth City',
  'Hamilton Township',
  'Jefferson County',
  'Marshall Islands',
  'Cape Town',
  'Kingston upon Hull',
  'Chester-le-Street',
  'Morgan Hill',
  'Lincoln Park',
  'Franklin Lakes',
  'Warren County',
];
const WORD_SURNAMES = [
  'Brown',
  'Baker',
  'Green',
  'White',
  'Black',
  'Young',
  'Cook',
  'Mason',
  'Bishop',
  'Wood',
  'Hunter',
  'Fisher',
];
const TITLES = ['Mr', 'Mrs', 'Ms', 'Dr', 'Prof.', 'Mr.', 'Mrs.'];
const v4 = () => `${int(1, 120)}.${int(0, 9)}.${int(0, 250)}.${int(0, 250)}`;
const USER_AGENTS: (() => string)[] = [
  () => `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v4()}) Gecko/20100101 Firefox/${int(60, 130)}.0`,
  () => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v4()} Safari/537.36`,
  () => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:${v4()}) Gecko/20100101 Thunderbird/115.0`,
  () => `Opera/9.80 (Windows NT 6.1; U; en) Presto/2.12.388 Version/${v4()}`,
  () => `okhttp/${int(3, 4)}.${int(0, 12)}.${int(0, 9)}`,
  () =>
    `Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Edg/${v4()}`,
];
col('neg.dish', 'dish', [], 'negative', () => pick(DISHES));
col('neg.place_people', 'destination', [], 'negative', () => pick(PLACES_AFTER_PEOPLE));
col('neg.user_agent', 'user_agent', [], 'negative', () => pick(USER_AGENTS)());
col(
  'names.titled_word_surname',
  'contact',
  ['PERSON_NAME'],
  'positive',
  () => `${pick(TITLES)} ${pick(WORD_SURNAMES)}`,
);
for (let i = 0; i < 4; i++) {
  text(
    `neg.dish.${i}`,
    'en',
    [
      `Lunch today: ${pick(DISHES)} and ${pick(DISHES).toLowerCase()}, then a walk to ${pick(PLACES_AFTER_PEOPLE)}.`,
    ],
    ['negative'],
  );
  text(`titled.${i}`, 'en', [
    'Please pass this to ',
    N(`${pick(TITLES)} ${pick(WORD_SURNAMES)}`),
    ' before the meeting.',
  ]);
}
columns.push(...addressUrlColumns());
texts.push(...addressUrlTexts());

mkdirSync(OUT, { recursive: true });
const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
writeFileSync(path.join(OUT, 'columns.jsonl'), jsonl(columns));
writeFileSync(path.join(OUT, 'texts.jsonl'), jsonl(texts));
console.log(
  `wrote ${columns.length} columns and ${texts.length} texts to ${path.relative(process.cwd(), OUT)}`,
);
