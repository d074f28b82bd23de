import type { Grant, Persona } from '../config/schema';
import { sameTagValue, type TableTags, type TagSet } from './tags';

export interface Access {
  allowed: boolean;
  /** columns the persona may see, in table order */
  columns: string[];
}

/** A column's effective value per key: its own, else the table's, else the database's. */
export function effectiveTags(database: TagSet, table: TagSet, column: TagSet | undefined): TagSet {
  return { ...database, ...table, ...(column ?? {}) };
}

/** A grant matches when every key of its expression has an effective value among the allowed ones. */
export function grantMatches(grant: Grant, tags: TagSet): boolean {
  return Object.entries(grant).every(([key, allowed]) => allowed.some((v) => sameTagValue(tags[key], v)));
}

/**
 * What a persona can query under LF-TBAC: the columns matched by any of its grants; the table is
 * visible when at least one column is. An untagged (ungoverned) table matches no grant.
 */
export function personaAccess(
  persona: Persona,
  tags: TableTags,
  columns: string[],
  databaseTags: TagSet = {},
): Access {
  const visible = columns.filter((c) =>
    persona.grants.some((g) => grantMatches(g, effectiveTags(databaseTags, tags.table, tags.columns[c]))),
  );
  return { allowed: visible.length > 0, columns: visible };
}

export function accessByPersona(
  personas: Record<string, Persona>,
  tags: TableTags,
  columns: string[],
  databaseTags: TagSet = {},
): Record<string, Access> {
  return Object.fromEntries(
    Object.entries(personas).map(([name, p]) => [name, personaAccess(p, tags, columns, databaseTags)]),
  );
}
