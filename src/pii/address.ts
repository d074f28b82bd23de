import type { RawMatch } from './types';

/**
 * Comprehend's ADDRESS: "a physical address, such as '100 Main Street, Anytown, USA' or 'Suite #12,
 * Building 123'", which "can include information such as the street, building, location, city,
 * state, country, county, zip code" (https://docs.aws.amazon.com/comprehend/latest/dg/how-pii.html).
 *
 * A street name alone is a place, not an address, so every form here needs a house number (or
 * Spain's "s/n", or a post-office box). The street core comes in the shapes the postal standards of
 * each country write, and may carry a unit ("Flat 4, …", "… Suite 555") and a town tail that only
 * counts with a postcode or state code after or before it ("…, Port Dangelo, VA 38701",
 * "…, Derby DE13 2QT", "…, 69242 Torino"), so a name after a street is never swallowed.
 * The street-type words come from the postal standards, not from any test-data generator:
 * USPS Publication 28 appendix C1 (street suffixes), Royal Mail's thoroughfare types, Spain's
 * Catastro "tipos de vía", and the French, Italian, Portuguese, German, Dutch and Nordic ones.
 * Offsets are UTF-16 (see RawMatch).
 */

// Suffix types that only name a street ("Main Street"): no other reading in running text.
const STRONG_SUFFIX = [
  'Street',
  'St',
  'Avenue',
  'Ave',
  'Av',
  'Road',
  'Rd',
  'Boulevard',
  'Blvd',
  'Lane',
  'Ln',
  'Drive',
  'Dr',
  'Court',
  'Ct',
  'Terrace',
  'Ter',
  'Parkway',
  'Pkwy',
  'Highway',
  'Hwy',
  'Crescent',
  'Cres',
  'Close',
  'Mews',
  'Plaza',
  'Plz',
  'Alley',
  'Aly',
  'Expressway',
  'Expy',
  'Freeway',
  'Fwy',
  'Turnpike',
  'Tpke',
  'Causeway',
  'Viaduct',
  'Esplanade',
  'Promenade',
  'Embankment',
  'Wharf',
  'Quay',
  'Wynd',
  'Stravenue',
  'Skyway',
  'Throughway',
  'Trafficway',
  'Underpass',
  'Overpass',
  'Bypass',
  'Circle',
  'Cir',
  'Square',
  'Sq',
  'Place',
  'Pl',
  'Way',
  'Trail',
  'Trl',
  'Gdns',
  'Grove',
  'Parade',
  'Approach',
  'Chase',
  'Broadway',
  'Heights',
  'Crossing',
  'Xing',
  'Junction',
  'Jct',
  'Extension',
  'Loop',
  'Circuit',
  'Brae',
];

// Suffix types that are also ordinary words ("Lake", "View", "Park"): a match ending in one needs
// corroboration (a unit, a town tail, the whole value, or an address word before it).
const WEAK_SUFFIX = [
  'Rise',
  'Row',
  'Walk',
  'Vale',
  'Lea',
  'Paddock',
  'Green',
  'Croft',
  'Fold',
  'Garth',
  'Gate',
  'Hill',
  'Hills',
  'Hollow',
  'Dale',
  'Glen',
  'Knoll',
  'Manor',
  'Ridge',
  'Run',
  'Spur',
  'Summit',
  'Trace',
  'Vista',
  'View',
  'Views',
  'Landing',
  'Bend',
  'Cove',
  'Creek',
  'Crest',
  'Field',
  'Fields',
  'Forest',
  'Harbor',
  'Harbour',
  'Haven',
  'Island',
  'Isle',
  'Lake',
  'Lakes',
  'Mill',
  'Mills',
  'Orchard',
  'Park',
  'Point',
  'Points',
  'Port',
  'Spring',
  'Springs',
  'Station',
  'Stream',
  'Valley',
  'Village',
  'Ville',
  'Well',
  'Wells',
  'Brook',
  'Brooks',
  'Bluff',
  'Bluffs',
  'Burg',
  'Canyon',
  'Cape',
  'Center',
  'Centre',
  'Cliff',
  'Cliffs',
  'Common',
  'Commons',
  'Corner',
  'Corners',
  'Ford',
  'Fork',
  'Forks',
  'Gateway',
  'Inlet',
  'Key',
  'Keys',
  'Lodge',
  'Meadow',
  'Meadows',
  'Mount',
  'Mountain',
  'Neck',
  'Oval',
  'Pass',
  'Path',
  'Pike',
  'Pine',
  'Pines',
  'Plain',
  'Plains',
  'Prairie',
  'Ranch',
  'Rapids',
  'Rest',
  'River',
  'Shoal',
  'Shore',
  'Shores',
  'Estate',
  'Estates',
  'Tunnel',
  'Union',
  'Yard',
  'Drove',
  'Mead',
  'End',
  'Side',
  'Bank',
  'Arcade',
  'Bayou',
  'Beach',
  'Bottom',
  'Branch',
  'Bridge',
  'Camp',
  'Club',
  'Course',
  'Crossroad',
  'Crossroads',
  'Curve',
  'Dam',
  'Divide',
  'Falls',
  'Ferry',
  'Flats',
  'Forge',
  'Fort',
  'Garden',
  'Gardens',
  'Glens',
  'Greens',
  'Groves',
  'Harbors',
  'Islands',
  'Knolls',
  'Land',
  'Lights',
  'Loaf',
  'Locks',
  'Mall',
  'Manors',
  'Mission',
  'Motorway',
  'Mountains',
  'Parks',
  'Passage',
  'Radial',
  'Ramp',
  'Ridges',
  'Roads',
  'Route',
  'Shoals',
  'Squares',
  'Streets',
  'Track',
  'Unions',
  'Valleys',
  'Villages',
  'Walks',
  'Wall',
  'Ways',
  'Brow',
  'Cottages',
  'Glade',
  'Glebe',
  'Leys',
  'Nook',
  'Pastures',
  'Villas',
  'Wood',
  'Hey',
  'Rapid',
  'Light',
  'Lock',
  'Copse',
  'Grange',
];

// Types written before the name and after the house number (French): "24 rue des Lilas".
const FRENCH_PREFIX = [
  'rue',
  'avenue',
  'av\\.',
  'boulevard',
  'bd',
  'bld',
  'place',
  'impasse',
  'allée',
  'chemin',
  'quai',
  'cours',
  'passage',
  'route',
  'square',
  'chaussée',
  'voie',
  'sentier',
  'cité',
  'résidence',
  'rond-point',
  'parvis',
  'promenade',
  'esplanade',
  'faubourg',
  'villa',
  'hameau',
  'lieu-dit',
  // Portuguese types after the number, as some Brazilian forms write them: "2099 Avenida Melo".
  'rua',
  'avenida',
  'alameda',
  'travessa',
  'rodovia',
  'praça',
  'estrada',
  'viela',
  'ladeira',
];

// Types written before the name, the house number last (Spanish, Catalan, Galician, Italian,
// Portuguese, Polish): "Calle Real 12", "Via della Spiga 134", "Rua Augusta, 123", "ul. Długa 5".
const LATIN_PREFIX = [
  'Calle',
  'C/',
  'Avenida',
  'Avda\\.',
  'Av\\.',
  'Paseo',
  'Pº',
  'Plaza',
  'Pza\\.',
  'Plazuela',
  'Ronda',
  'Rambla',
  'Carrera',
  'Carretera',
  'Ctra\\.',
  'Camino',
  'Travesía',
  'Glorieta',
  'Pasaje',
  'Callejón',
  'Costanilla',
  'Cuesta',
  'Bajada',
  'Subida',
  'Alameda',
  'Prolongación',
  'Urbanización',
  'Urb\\.',
  'Polígono',
  'Barrio',
  'Explanada',
  'Senda',
  'Vereda',
  'Cañada',
  'Partida',
  'Terrenos',
  'Paraje',
  'Acceso',
  'Calzada',
  'Caserío',
  'Cinturón',
  'Colonia',
  'Diseminado',
  'Escalinata',
  'Finca',
  'Huerta',
  'Jardines',
  'Lugar',
  'Masía',
  'Muelle',
  'Pasadizo',
  'Parque',
  'Poblado',
  'Puente',
  'Ramal',
  'Rampa',
  'Riera',
  'Rincón',
  'Rinconada',
  'Sendero',
  'Torrente',
  'Rúa',
  'Carrer',
  'Passeig',
  'Plaça',
  'Avinguda',
  'Gran Vía',
  'Vía',
  'Via',
  'Viale',
  'Piazza',
  'Piazzale',
  'Corso',
  'Largo',
  'Vicolo',
  'Strada',
  'Contrada',
  'Borgo',
  'Lungomare',
  'Lungolago',
  'Lungarno',
  'Lungotevere',
  'Località',
  'Frazione',
  'Salita',
  'Discesa',
  'Rotonda',
  'Campo',
  'Fondamenta',
  'Traversa',
  'Vico',
  'Circonvallazione',
  'Stradone',
  'Piazzetta',
  'Rua',
  'Travessa',
  'Praça',
  'Estrada',
  'Rodovia',
  'Ladeira',
  'Beco',
  'Viela',
  'Calçada',
  'Praceta',
  'Marginal',
  'Caminho',
  'Passeio',
  'ul\\.',
  'al\\.',
  'Arrabal',
  'Salida',
  'Solar',
  'Sección',
  'Arroyo',
  'Caserio',
  'Entrada',
  'Calleja',
  'Edificio',
  'Bloque',
  'Municipio',
  'Colegio',
  'Ferrocarril',
  'Sector',
  'Agregado',
  'Aldea',
  'Área',
  'Barranco',
  'Campa',
  'Chalet',
  'Conjunto',
  'Extramuros',
  'Extrarradio',
  'Grupo',
  'Manzana',
  'Mercado',
  'Monte',
  'Páramo',
  'Parroquia',
  'Bulevar',
  'Prol\\.',
  'Cda\\.',
  'Calz\\.',
  // Mexico
  'Privada',
  'Priv\\.',
  'Eje',
  'Blvd\\.',
  'Cerrada',
  'Circuito',
  'Andador',
  'Retorno',
  'Periférico',
  'Diagonal',
  // Portugal, Italy
  'Azinhaga',
  'Urbanização',
  'Acesso',
  'Loteamento',
  'Quinta',
  'Incrocio',
  // Poland writes its types lowercase
  'pl\\.',
  'os\\.',
  'bulw\\.',
  'skwer',
  'rondo',
  'park',
  'plac',
  'aleja',
  'szosa',
  'wyspa',
  'ogród',
  'osiedle',
  'bulwar',
  'wybrzeże',
  // Belgium, Switzerland and Luxembourg write French types first too: "Rue de la Loi 16".
  'Voie',
  'Drève',
  'Jardin',
  'Clos',
  'Cour',
  'Square',
  'Sentier',
  'Galerie',
  'Passage',
  'Place',
  'Rue',
  'Avenue',
  'Boulevard',
  'Chaussée',
  'Quai',
  'Chemin',
  'Allée',
  'Impasse',
];

// German, Dutch and Nordic street names end in their type ("Hauptstraße", "Bogenstr.", "Molenweg",
// "Dorpsstraat", "Storgatan", "Mannerheimintie"). Endings that are also English word endings (-ring,
// -hof) are left out.
const COMPOUND_ENDING =
  '(?:straße|strasse|str\\.|gasse|weg|allee|platz|damm|ufer|chaussee|steig|pfad|stieg|straat|laan|plein|gracht|kade|dijk|singel|steeg|gatan|vägen|gata|gade|vej|veien|vegen|katu|tie|kuja|polku|gränd|gränden|backen|stigen|torget|platsen|leden|slingan|gärdet|stræde|vænget|toften|bakken|svingen|løkka|tunet|jordet|stien|haugen|raitti|kaari|rinne|kierto|väylä|aukio|puisto|dreef|plantsoen)';
// Endings that also end ordinary words ("Spring", "Kirchhof") need a town tail or an address word.
const WEAK_COMPOUND_ENDING =
  '(?:ring|hof|feld|berg|kamp|garten|markt|graben|tor|anger|wall|brink|wijk|hoek|park|have|linja)';
// …or are a separate word after an adjective or a name ("Berliner Straße 12", "Karl Johans gate 22").
const GERMAN_TYPE_WORD =
  '(?:Straße|Strasse|Str\\.|Gasse|Weg|Allee|Platz|Damm|Ufer|Chaussee|Ring|gate|gata|gatan|vei|veg|vej|väg|vägen|Gate|Gata|Gatan|Väg|Vägen|Vei|Vej|Gade)';
// Adjectives and particles written before a compound street name ("Norra Furuvägen", "Alte Gasse",
// "van der Berglaan").
const STREET_ADJECTIVE = String.raw`(?:(?:Norra|Södra|Östra|Västra|Övre|Nedre|Undre|Stora|Lilla|Nordre|Søndre|Østre|Vestre|Øvre|Gamle|Nye|Store|Lille|Alte|Alter|Neue|Neuer|Große|Großer|Kleine|Kleiner|Obere|Untere|Mittlere|Mittlerer|Hintere|Vordere|Lange|Hohe|Sankt)\s+|(?:(?:van|de|der|den|ten|ter|het)\s+){1,2})?`;
// German prepositional names ("Am Markt 15", "Im Frohental 5", "An der Kirche 3").
const GERMAN_PREPOSITION =
  '(?:Am|Im|An der|An den|Auf der|Auf dem|Zum|Zur|In der|In den|Unter den|Hinter der)';

const alt = (words: readonly string[]) => words.join('|');
/** French types are written lowercase mid-address and capitalised at the start of a line. */
const eitherCase = (words: readonly string[]) =>
  words.map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|');

// Building blocks. A name token is capitalised (or an ordinal like "5th"); particles are the
// lowercase articles and prepositions street names carry in each language.
const NAME_TOKEN = String.raw`(?!(?:Apt|Apartment|Suite|Unit|Flat|Piano|Edificio|Zimmer|Lote|Quadra|Apto|Bloco|Casa)\b)(?:\p{Lu}[\p{L}'’.]*(?:-\p{L}[\p{L}'’.]*)*|\d{1,3}(?:st|nd|rd|th|º|ª))`;
const PARTICLE =
  '(?:de|la|las|los|el|del|dels|y|i|e|da|das|do|dos|di|della|delle|dei|degli|dello|du|des|le|les|aux|au|sur|en|von|van|der|den|het|am|an)';
const ELIDED = "(?:(?:d'|l'|dell'|d’|l’)\\s?)";
const NAME_WORDS = String.raw`${NAME_TOKEN}(?:\s+(?:${PARTICLE}\s+)*${ELIDED}?${NAME_TOKEN}){0,5}`;
// A letter after the number (12a, 12 B); spaced only in capitals, so "208 m. 670" keeps its unit.
const HOUSE_NUMBER = String.raw`\d{1,5}(?:(?:[A-Za-z]|\s[A-Z])(?![\p{L}\d]))?(?:\s?[-/]\s?\d{1,5}[A-Za-z]?)?`;
const DIRECTION = String.raw`(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?`;
// Unit words of each language: apartment, suite, room, staircase, building, plot.
const UNIT_WORD =
  '(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|Bldg|Building|Dept|#|Zimmer|Whg|Wohnung|Piano|Appartamento|Scala|Interno|Int|Edificio|Depto|Dpto|Apartamento|Apto|Lote|Quadra|Bloco|Casa|Sala|Lgh|Hus|Leil|Oppgang|Trappa|m\\.(?=\\s*\\d))';
// A floor written number first: "7 OG", "5 étage", "3 hoog achter", "1e verdieping", "2. tv".
const FLOOR_AFTER = String.raw`(?:,?\s+\d{1,2}(?:\.|e|er|ère|º|ª)?\s?(?:OG|EG|UG|DG|Stock|étage|Etage|hoog|verdieping|piso|planta|floor|sal|tv|th|mf)(?![\p{L}\d])\.?(?:\s+(?:achter|voor|links|rechts))?)`;
const UNIT_AFTER = String.raw`(?:(?:,?\s+${UNIT_WORD}(?![\p{L}])\.?\s*#?\s*[\p{L}\d-]{1,6}(?![\p{L}\d])|${FLOOR_AFTER}){1,2})`;
const UNIT_BEFORE = String.raw`(?:${UNIT_WORD}(?![\p{L}])\.?\s*#?\s*[\p{L}\d-]{1,6},?\s+)`;
// Spanish floor, door, staircase and portal after the number: "5, 3º B", "12, Esc. 2, Puerta 4".
const SPANISH_FLOOR = String.raw`(?:,?\s+(?:\d{1,2}\s?[º°ª](?:\s?[A-Z](?![\p{L}]))?|(?:Esc\.|Escalera|Puerta|Pta\.|Piso|Portal|Bloque)\s?[\p{L}\d]{1,4}(?![\p{L}\d])|(?:Izda|Dcha|Izq|Dra|Bajo|Ático)(?![\p{L}\d])\.?)){0,3}`;

// Town tails. A town token never swallows a full stop ("…Nantes. Llámenos"), bar St./Mt. abbreviations.
const TOWN_TOKEN = String.raw`(?:(?:St|Ste|Mt|Ft)\.|\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*)`;
const TOWN = String.raw`${TOWN_TOKEN}(?:\s+(?:(?:${PARTICLE}|upon|on|in|im)\s+)?${TOWN_TOKEN}){0,3}`;
const ZIP_US = String.raw`\d{5}(?:-\d{4})?`;
const POSTCODE_UK = String.raw`[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}`;
const POSTCODE_CA = String.raw`[A-Z]\d[A-Z]\s?\d[A-Z]\d`;
// Postcodes written before the town: NL 1234 AB, BR 01310-100, PT 1000-001, PL 00-950, SE 114 55, or 4–5 digits.
const POSTCODE_BEFORE_TOWN = String.raw`(?:[A-Z]{1,2}-)?(?:\d{4}\s?[A-Z]{2}|\d{5}-\d{3}|\d{4}-\d{3}|\d{2}-\d{3}|\d{3}\s\d{2}|\d{4,5})`;
// Town (with a locality before it: "Histon, Cambridge CB24 9HT") then a state or region with its
// ZIP/postcode (US, Canada, Australia's four digits) or a UK postcode; or a postcode then the town,
// with Italy's province after it ("20121 Milano (MI)"); or Brazil's " - Bairro, Cidade - UF, CEP".
const TAIL = String.raw`(?:,\s*${TOWN}(?:,\s*${TOWN})?,?\s+(?:[A-Z]{2,3}(?:\s+(?:${ZIP_US}|${POSTCODE_CA}|\d{4}))?|${POSTCODE_UK})|,?\s+${POSTCODE_BEFORE_TOWN}\s+${TOWN}(?:\s\([A-Z]{2}\))?|\s+-\s+${TOWN}(?:,\s*${TOWN})?\s+-\s+[A-Z]{2}(?:,?\s+(?:CEP\s)?\d{5}-?\d{3})?)(?![\p{L}\d])`;

/**
 * One street-address form: a regex with `core`, `unit` and `tail` groups, when a match counts, and
 * the type word (or words) every match holds. The forms' regexes are large and unicode-aware, so V8
 * takes tens of milliseconds to compile each on its first use: a text without the word never needs it.
 */
interface Form {
  re: RegExp;
  word: RegExp;
  accept: (text: string, m: RegExpExecArray) => boolean;
}

const always = () => true;

/** `core` is written around `word`, the alternation of the type words each of its matches holds. */
const form = (
  word: string,
  core: (word: string) => string,
  accept: Form['accept'] = always,
  before = '',
): Form => ({
  re: new RegExp(
    String.raw`(?<![\p{L}\d#$€£/.,-])${before}(?<core>${core(word)})(?<unit>${UNIT_AFTER})?(?<tail>${TAIL})?`,
    'gu',
  ),
  word: new RegExp(word, 'u'),
  accept,
});

const WEAK = new Set(WEAK_SUFFIX);

const FORMS: Form[] = [
  // 158 Mill Road; Flat 4, 49 Mill Road; 616 W 5th Street; 9026 Konopelski Lake Suite 555
  form(
    `${alt(STRONG_SUFFIX)}|${alt(WEAK_SUFFIX)}`,
    (suffix) =>
      String.raw`${HOUSE_NUMBER},?\s+(?:${DIRECTION}\s+)?(?:${NAME_TOKEN}\s+){1,4}(?<suffix>${suffix})s?\b\.?(?:\s+${DIRECTION}(?![\p{L}]))?`,
    (text, m) => !WEAK.has(m.groups!.suffix!) || corroborated(text, m),
    `${UNIT_BEFORE}?`,
  ),
  // 24 rue des Lilas; 12, avenue Victor-Hugo; 5198 Passage Marcadet
  form(
    eitherCase(FRENCH_PREFIX),
    (type) =>
      String.raw`${HOUSE_NUMBER}(?:\s(?:bis|ter))?,?\s+(?:${type})(?![\p{L}])\s+(?:${PARTICLE}\s+)*${ELIDED}?${NAME_WORDS}`,
  ),
  // Calle Real 12; Via della Spiga 134; Rua Augusta, 123; Prolongación Elsa s/n.; C/ Mayor 5, 3º B
  form(
    alt(LATIN_PREFIX),
    (type) =>
      String.raw`(?:Gran\s+)?(?:${type})\s*(?:${PARTICLE}\s+)*${ELIDED}?${NAME_WORDS},?\s+(?:(?:n\.?º|nº|núm\.|n\.)\s*)?(?:(?<num>${HOUSE_NUMBER})(?:\s(?:bis|ter))?(?![\p{L}\d])|s\/n\.?)${SPANISH_FLOOR}`,
    // "Via Rail 2023": a year after a name is a date, unless a town tail or context says address.
    (text, m) => !/^(?:19|20)\d\d$/.test(m.groups!.num ?? '') || corroborated(text, m),
  ),
  // Hauptstraße 51; Bogenstr. 77c; Heinrich-Lübke-Str. 77a; Dorpsstraat 98; Berliner Straße 12
  form(
    `${COMPOUND_ENDING}|${GERMAN_TYPE_WORD}`,
    () =>
      String.raw`${STREET_ADJECTIVE}(?:(?:\p{Lu}\p{L}*-)*\p{Lu}\p{L}*${COMPOUND_ENDING}|(?:\p{Lu}\p{L}*-)+${GERMAN_TYPE_WORD}|(?:\p{Lu}[\p{L}-]*\s+){1,2}${GERMAN_TYPE_WORD})\s+${HOUSE_NUMBER}(?![\p{L}\d])`,
  ),
  // Kirchhof 3, 12345 Ulm; Am Heidkamp: endings shared with ordinary words need a tail or an address word.
  form(
    WEAK_COMPOUND_ENDING,
    (ending) =>
      String.raw`${STREET_ADJECTIVE}(?:\p{Lu}\p{L}*-)*\p{Lu}\p{L}*${ending}\s+${HOUSE_NUMBER}(?![\p{L}\d])`,
    (text, m) => Boolean(m.groups!.tail) || nearAddressWord(text, m),
  ),
  // Japan in Latin letters, block numbers first: 1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005
  form(
    '-(?:ku|shi|cho|machi|mura|gun)',
    (division) =>
      String.raw`\d{1,4}(?:-\d{1,4}){1,2},?\s+${TOWN}(?:,\s*\p{Lu}\p{L}*${division})+(?:,\s*${TOWN}(?:\s+\d{3}-\d{4})?)?`,
  ),
  // Am Markt 15; Im Frohental 5: German prepositions are common words, so these need corroboration.
  form(
    GERMAN_PREPOSITION,
    (preposition) =>
      String.raw`${preposition}\s+\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)?\s+\d{1,3}[a-z]?(?![\p{L}\d])`,
    (text, m) => corroborated(text, m),
  ),
];

// Post-office boxes: PO Box 123, P.O. Box, Apartado (de Correos), Postfach, BP, Caixa Postal, Casilla, Postbus.
const PO_BOX = new RegExp(
  String.raw`(?<![\p{L}\d])(?<core>(?:P\.?\s?O\.?\s?Box|Post Office Box|Apartado(?:\s+de\s+Correos)?|Apdo\.?(?:\s+de\s+Correos)?|Postfach|B\.?P\.?|Boîte Postale|Caixa Postal|Casilla(?:\s+de\s+Correo)?|Casella Postale|Postbus|Postboks)\s*\d{1,6}(?:\s\d{2,4})?)(?<tail>${TAIL})?`,
  'gu',
);

// Particles and verbs that end the words before an address (住所は…, 地址是…), never inside one.
const CJK_CHAR = String.raw`(?:(?![はがをにへでもと是在的到往寄送给址：])[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])`;

// CJK addresses: a run of Han/kana holding an administrative division or street word (都道府県,
// 市区町村, 省, 县, 路, 街, 巷, 弄) and ending in a block number (1-2-3, 88号), or Japan's chome and banchi
// (3丁目1番3号) alone, each with an optional room (吉岡186号室). Korean: 시/도 + 구/군 + 로/길 + number, or a
// road name in 대로/길 with a building number or a postcode before it.
const CJK_ADDRESS = new RegExp(
  String.raw`(?:〒\s?\d{3}-\d{4}\s*)?(?<core>${CJK_CHAR}{0,30}?(?:\d{1,4}丁目\d{1,4}番地?(?:\d{1,4}号)?|\d{1,4}(?:[-−－]\d{1,4}){1,3}(?:号室?)?|\d{1,5}号))(?:\s?${CJK_CHAR}{1,12}\d{1,4}号室)?` +
    String.raw`|(?<ko>[가-힣]{2,8}(?:특별시|광역시|특별자치시|도|시)\s+[가-힣]{1,8}(?:구|군|시)\s+(?:[가-힣]{1,8}(?:동|읍|면)\s+)?[가-힣0-9]{1,12}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?(?:번지)?)` +
    String.raw`|(?<koPost>\d{5})?\s*(?<koRoad>[가-힣]{1,10}\d{0,3}(?:대로|길))(?:\s?(?<koNum>\d{1,4}(?:-\d{1,4})?)(?:호|번지)?)?(?:\s(?:아파트\s)?\d{1,4}동)?`,
  'gu',
);
const CJK_DIVISION = /[都道府県市区町村郡省县縣州路街巷弄里]|丁目/u;

// Words that announce an address in text, in English and Spanish (Comprehend's PII languages).
const ADDRESS_CONTEXT =
  /\b(?:address|addr|live[sd]?|living|moved|move|ship(?:ped|ping)?|deliver(?:ed|y)?|send|sent|mail(?:ed|ing)?|post(?:ed)?|located|resid\w*|visit|office|dirección|domicilio|enviad[oa]|llegará|vive|calle)\b/i;

function nearAddressWord(text: string, m: RegExpExecArray): boolean {
  return ADDRESS_CONTEXT.test(text.slice(Math.max(0, m.index - 48), m.index));
}

/** A weak match counts with a unit, a town tail, an address word before it, or as the whole value (a cell). */
function corroborated(text: string, m: RegExpExecArray): boolean {
  if (m.groups!.unit || m.groups!.tail) return true;
  const end = m.index + m[0].length;
  if (text.slice(0, m.index).trim() === '' && text.slice(end).trim() === '') return true;
  return nearAddressWord(text, m);
}

/** Street addresses, post-office boxes and CJK addresses in text. */
export function streetAddresses(text: string, out: RawMatch[]): void {
  const emit = (start: number, end: number, detector: string, score: number) =>
    out.push({ entityType: 'ADDRESS', detector, start, end, score });
  for (const { re, word, accept } of FORMS) {
    if (!word.test(text)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (!accept(text, m)) continue;
      emit(m.index, m.index + m[0].trimEnd().length, 'street-address', m.groups!.tail ? 0.9 : 0.8);
    }
  }
  PO_BOX.lastIndex = 0;
  for (let m = PO_BOX.exec(text); m !== null; m = PO_BOX.exec(text))
    emit(m.index, m.index + m[0].length, 'po-box', 0.85);
  if (!/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/u.test(text)) return;
  CJK_ADDRESS.lastIndex = 0;
  for (let m = CJK_ADDRESS.exec(text); m !== null; m = CJK_ADDRESS.exec(text)) {
    const g = m.groups!;
    const ok = g.core ? CJK_DIVISION.test(g.core) : g.ko || (g.koRoad && (g.koPost || g.koNum));
    // A road name matched without its postcode starts after any space the alternation let in.
    const start = m.index + (m[0].length - m[0].trimStart().length);
    if (ok) emit(start, m.index + m[0].length, 'cjk-address', 0.85);
  }
}
