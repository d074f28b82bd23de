import { sameTagValue, type TableTags, type TagSet } from './tags';

/**
 * One Lake Formation assignment: set (or remove) `key=value` on the table (no columns), on these
 * columns, or on the table's database (`database`).
 */
export interface TagAssignment {
  key: string;
  value: string;
  columns?: string[];
  database?: true;
  /** true when the change narrows access (a move to the sensitive value): applied first */
  tightens: boolean;
  /** true: remove `key=value`, an owned key set where autogov sets none (e.g. planted by hand) */
  remove?: boolean;
}

export type TagPlan = TagAssignment[];

/**
 * The assignments that turn `current` into `desired`, touching only `ownedKeys` and only what
 * differs — so a repeated run plans nothing. An owned key found on the table or a column where
 * `desired` has none (a column-level `tbl_class` set outside autogov overrides the table's value
 * for that column) is removed. Changes are grouped per key/value into one call.
 */
export function planTags(
  current: TableTags,
  desired: TableTags,
  ownedKeys: string[],
  sensitiveValue: string,
): TagPlan {
  const owned = (set: TagSet | undefined) => Object.entries(set ?? {}).filter(([k]) => ownedKeys.includes(k));
  const plan: TagPlan = [];
  const tightens = (value: string | undefined) => sameTagValue(value, sensitiveValue);

  for (const [key, value] of owned(desired.table))
    if (!sameTagValue(current.table[key], value)) plan.push({ key, value, tightens: tightens(value) });
  // Without the key the table matches no grant on it: removing narrows access.
  for (const [key, value] of owned(current.table))
    if (desired.table[key] === undefined) plan.push({ key, value, tightens: true, remove: true });

  const groups = new Map<string, TagAssignment>();
  const add = (column: string, step: Omit<TagAssignment, 'columns'>) => {
    const id = `${step.remove ? '-' : '+'}${step.key}\u0000${step.value}`;
    const group = groups.get(id) ?? { ...step, columns: [] };
    group.columns!.push(column);
    groups.set(id, group);
  };
  for (const [column, set] of Object.entries(desired.columns)) {
    for (const [key, value] of owned(set))
      if (!sameTagValue(current.columns[column]?.[key], value))
        add(column, { key, value, tightens: tightens(value) });
    // The column falls back to the table's value: widening only when it leaves the sensitive value.
    for (const [key, value] of owned(current.columns[column]))
      if (set[key] === undefined)
        add(column, {
          key,
          value,
          tightens: !tightens(value) || tightens(desired.table[key]),
          remove: true,
        });
  }
  plan.push(...groups.values());
  // Fail closed if the apply stops midway: narrowing changes land before widening ones.
  return plan.sort((a, b) => Number(b.tightens) - Number(a.tightens));
}

/**
 * The removals that take autogov's keys off the table's database, where autogov assigns none: a value
 * planted there is what every column of the database falls back to, so an ungoverned table of the
 * database (no tags of its own) would match grants on it. Each removal narrows access.
 */
export function planDatabaseTags(current: TagSet, ownedKeys: string[]): TagPlan {
  return Object.entries(current)
    .filter(([key]) => ownedKeys.includes(key))
    .map(([key, value]) => ({ key, value, database: true, tightens: true, remove: true }));
}
