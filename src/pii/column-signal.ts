import { isNameShaped } from './names';
import type { EntityType } from './types';
import { isValidSsn } from './validators';

/**
 * The column, not just the cell: a column's name names a type, and its values have that type's
 * shape, so it holds that type even where no single cell would say so on its own (bare nine-digit
 * SSNs, passport numbers, first names alone). The name alone never decides (a `passport_no`
 * column of "n/a"s is not sensitive), and a misleading name never wins (`email_verified` holding
 * booleans has no e-mail shape). Likewise a name saying the values are companies, titles or
 * places raises the bar for PERSON_NAME, since such values are built from people's names.
 */

export interface ColumnContext {
  name: string;
  /** DuckDB type of the column, when known. */
  type?: string;
}

interface Signal {
  entityType: EntityType;
  /** the part of the column name that matched, e.g. `ssn` */
  name: RegExp;
  shape: (value: string) => boolean;
}

const DATE_SHAPE =
  /^(?:\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+)?|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}\/\d{2}\/\d{2})$/;

/** Column names are split on _, -, spaces and camelCase before matching (`passportNo` → passport no). */
const SIGNALS: readonly Signal[] = [
  {
    entityType: 'USA_SSN',
    name: /\b(?:ssn|social security(?: number| no)?|soc sec)\b/,
    shape: (v) => {
      const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(v.trim());
      return Boolean(m && isValidSsn(m[1]!, m[2]!, m[3]!));
    },
  },
  {
    entityType: 'USA_PASSPORT_NUMBER',
    name: /\bpassport\b/,
    shape: (v) => /^[A-Z]?\d{8,9}$/.test(v.trim()),
  },
  {
    entityType: 'BANK_ACCOUNT',
    name: /\b(?:(?:bank )?(?:account|acct|acc)(?: no| nr| num| number)|iban|bank account)\b/,
    shape: (v) => /^\d{6,17}$/.test(v.replace(/[ -]/g, '')),
  },
  {
    entityType: 'PHONE_NUMBER',
    name: /\b(?:phone|mobile|telephone|tel|cell|fax|msisdn)(?: no| nr| number)?$/,
    shape: (v) => /^\+?[\d\s().-]{7,20}$/.test(v.trim()) && (v.match(/\d/g)?.length ?? 0) >= 7,
  },
  {
    entityType: 'DATE_OF_BIRTH',
    name: /\b(?:dob|birth ?date|date of birth|birthday|born(?: on)?|geburtsdatum|fecha de nacimiento|fecha nacimiento|date de naissance|data di nascita)\b/,
    shape: (v) => DATE_SHAPE.test(v.trim()),
  },
  {
    entityType: 'PERSON_NAME',
    name: /^(?:(?:first|last|given|family|middle|full|maiden|sur|fore|customer|contact|client|person|patient|employee|holder|cardholder|account holder|guest|passenger|user full) ?names?|name|[fl]name|surname|forename|vorname|nachname|nombre|apellidos?|pr[eé]nom|nom|cognome|emergency contact)$/,
    shape: isNameShaped,
  },
];

/**
 * Names saying the values are things named after people, not people: such a column holds people
 * only when it reads like a name column, nearly every value a name (SHAPE_FRACTION, the share a
 * name signal needs). A book-title column of characters' names ("Jane Eyre", "Tom Sawyer") or a
 * city column of towns named after saints and founders stays below it.
 */
const NOT_A_PERSON =
  /\b(?:company|firm|employer|organi[sz]ation|business|vendor|supplier|brand|product|item|model|make|category|colou?r|couleur|farbe|species|breed|title|book|film|movie|song|album|genre|team|club|city|town|place|location|country|state|region|street|road|address|airport|station|hotel|hospital|school|university|facility|venue|event)\b/;

/** snake_case, kebab-case, camelCase and spaces to lower-case words. */
export function columnWords(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[_\-.\s]+/g, ' ')
    .trim();
}

/** The signals a column's name raises for the requested types (usually none or one). */
export function nameSignals(column: ColumnContext, requested: readonly string[]): Signal[] {
  const words = columnWords(column.name);
  return SIGNALS.filter((s) => requested.includes(s.entityType) && s.name.test(words));
}

/** The share of matching cells a column must reach for a type, given its name. */
export function columnThreshold(
  entityType: string,
  column: ColumnContext | undefined,
  threshold: number,
): number {
  if (entityType === 'PERSON_NAME' && column && NOT_A_PERSON.test(columnWords(column.name)))
    return Math.max(threshold, SHAPE_FRACTION);
  return threshold;
}

/** A column-name signal counts only when most cells have the type's shape. */
export const SHAPE_FRACTION = 0.8;

export type { Signal as ColumnSignal };
