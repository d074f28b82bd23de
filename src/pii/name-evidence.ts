/**
 * Negative and positive evidence around a candidate person name, all lower-case. A run of
 * capitalised words next to one of the negative words is a street, company, facility or place
 * named after people ("Hermann-König-Str.", "Corral Marín S.A.", "John F Kennedy Intl").
 */

const words = (s: string): ReadonlySet<string> => new Set(s.trim().split(/\s+/));

/**
 * Street types written after the street's name: USPS Publication 28 appendix C1 (street suffixes,
 * US), Royal Mail thoroughfare descriptors (UK), and German, Dutch and Turkish thoroughfare words
 * (also matched as the end of a compound: "Lindenstraße", "Hermann-König-Str.", "Kerkstraat").
 */
export const STREET_SUFFIXES = words(`
  alley aly annex arcade avenue ave av bayou beach bend bluff bluffs bottom boulevard blvd branch bridge brg
  brook burg bypass byp camp canyon cape causeway cswy center ctr circle cir cliff cliffs club common corner
  corners course court ct courts cove creek crescent cres crest crossing xing crossroad curve dale dam divide
  drive dr drives estate estates expressway expy extension ext falls ferry field fields flat flats ford forest
  forge fork forks fort freeway fwy garden gardens gdns gateway glen glens green grove grv harbor harbour haven
  heights hts highway hwy hill hills hollow inlet island islands isle junction jct key knoll knolls lake lakes
  land landing lane ln light lights loaf lock locks lodge loop mall manor meadow meadows mews mill mills mission
  motorway mount mountain neck orchard oval overpass park parks parkway pkwy pass passage path pike pine pines
  place pl plain plains plaza plz point pt port ports prairie radial ramp ranch rapids rest ridge river road rd
  roads route row run shoal shore shores skyway spring springs spur square sq station sta stravenue stream
  street st streets summit terrace ter throughway trace track trafficway trail trl tunnel turnpike underpass
  union valley viaduct view views village ville vista walk wall way ways well wells wharf quay close chase vale
  rise cross paddock gate grange lea mead wynd
  straße strasse str weg platz allee gasse ring damm ufer chaussee steig pfad markt
  straat laan plein gracht kade singel dijk dreef
  sokak sokağı sokagi caddesi cadde bulvarı bulvari mahallesi
`);

/** Compound endings of German and Dutch street names ("Lindenstraße", "Dorpsstraat"). */
export const STREET_COMPOUND_END =
  /(?:straße|strasse|str\.?|weg|platz|allee|gasse|damm|ufer|straat|laan|plein|gracht|kade|singel)$/u;

/**
 * Street types written before the street's name, in French, Spanish, Italian, Portuguese and
 * Polish addresses ("Rue Victor Hugo", "Explanada Amalia Miranda Llamas", "Via Roma").
 */
export const STREET_PREFIXES = words(`
  rue avenue boulevard bd place allée allee chemin impasse quai cours faubourg route sentier square
  calle avenida avda paseo plaza camino carretera ronda travesía travesia prolongación prolongacion glorieta
  explanada urbanización urbanizacion terrenos callejón callejon pasaje rambla vía via
  viale piazza piazzale corso largo vicolo strada contrada lungomare
  rua travessa praça praca estrada alameda
  ulica ul aleja plac osiedle
`);

/** Legal forms and business words (ISO 20275 entity legal forms, the common ones by country). */
export const COMPANY_WORDS = words(`
  inc incorporated corp corporation llc llp lp ltd limited plc co company companies group holdings holding
  partners partnership associates bros brothers sons söhne soehne fils figli hijos
  gmbh ag kg ohg ug ev mbh kgaa se sa sas sarl sàrl sl slu sau srl spa sapa snc bv nv vof oy oyj ab asa as aps
  pty pte bhd sdn kk gk
  consulting solutions technologies technology systems services industries international enterprises ventures
  capital labs studio studios media group bank insurance trust fund foundation
`);

/** Facilities and institutions that carry people's names ("Indira Gandhi International Airport"). */
export const FACILITY_WORDS = words(`
  airport airfield aeropuerto aéroport flughafen aeroporto intl international
  hospital clinic infirmary medical municipal memorial regional county national federal state
  university universität université universidad università college school academy institute
  elementary high middle library museum gallery stadium arena theatre theater hall church cathedral chapel
  abbey mosque temple center centre hotel inn resort prize award cup trophy bridge tunnel dam tower
  park gardens zoo station terminal harbour harbor port
  township borough parish district province canton prefecture municipality
`);

/** Words that make the following name a place ("Santa Clara", "Fort Worth", "Port Dangelo"). */
export const PLACE_PREFIXES = words(`
  santa san são sao st saint sainte ste mount mt fort ft lake port cape los las el la le new north south east
  west upper lower great little bad
`);

/** Courtesy titles: part of the name they precede ("Dr. Ada Lovelace", "Ms. Smith"). */
export const HONORIFICS = words(`
  mr mrs ms miss mx dr prof sir dame lord lady herr frau fräulein monsieur madame mme mlle m señor señora
  señorita sr sra srta don doña dom signor signora sig dott dottore avv ing
`);

/** Name particles that join name parts ("Josefina de Anda", "Sjoerd de Vries", "van der Berg"). */
export const PARTICLES = words(
  'de da das do dos del della dei di du la le van von der den ter ten te y e bin binti al',
);

/**
 * Words just before a run that say a person follows ("contact Savion Ruecker", "cardholder …"):
 * with one of them, two capitalised words no list knows still make a name.
 */
export const PERSON_CONTEXT = words(`
  contact contacted by for from to with dear hi hello hey thanks thank cheers regards customer client patient
  traveller traveler passenger cardholder applicant holder name owner user employee member guest tenant
  signed approved reviewed verified issued estimado estimada hola cliente señor señora querido querida
  sehr geehrte geehrter liebe lieber cher chère caro cara
`);

/**
 * Companies and brands named after people, which no word list marks as such. Matched on the whole
 * run, lower-cased, spaces between tokens.
 */
export const EPONYMOUS_ORGANIZATIONS = words(
  `morgan_stanley charles_schwab john_deere harley_davidson edward_jones raymond_james dean_witter
   arthur_andersen ernst_young ralph_lauren calvin_klein tommy_hilfiger louis_vuitton kate_spade estee_lauder
   marks_spencer dr_pepper mr_clean tim_hortons wells_fargo goldman_sachs hewlett_packard dolce_gabbana
   procter_gamble johnson_johnson ben_jerry`,
);

/** Calendar words are never names on their own ("Tuesday Morning", "May 2021"). */
export const CALENDAR_WORDS = words(`
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday
  enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
  lunes martes miércoles jueves viernes sábado domingo
`);

/** Articles, pronouns and prepositions that some name lists carry as names ("The", "An", "Will"). */
export const FUNCTION_WORDS = words(`
  the a an and or of to in on at for by with from into onto over under our your my his her their its this
  that these those is are was were be been not no yes all any some each every here there when where why how
  what who which if then than but so as it we you they he she i me us them el los las un una y o del al con
  por para su sus le les des du et ou der die das ein eine und oder mit von zu il lo gli di da per
  nossa nosso nossas nossos sua seu suas seus um uma com pelo pela pelos pelas
`);

/**
 * Compass words: after a particle they make the run a place ("Campina do Sul", "Santa Rosa del
 * Norte", "Bagnolo del Nord"), which a person's name never ends in.
 */
export const COMPASS_WORDS = words(`
  norte sul leste oeste sur este nord sud est ouest north south east west
`);
