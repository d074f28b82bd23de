import { sameTagValue, type TableTags, type TagSet } from './tags';

/** One Lake Formation assignment: set `key=value` on the table (no columns) or on these columns. */
export interface TagAssignment {
  key: string;
  value: string;
  columns?: string[];
  /** true when the change narrows access (a move to the sensitive value): applied first */
  tightens: boolean;
}

export type TagPlan = TagAssignment[];

/**
 * The assignments that turn `current` into `desired`, touching only `ownedKeys` and only what
 * differs — so a repeated run plans nothing. Column changes are grouped per key/value into one call.
 */
export function planTags(
  current: TableTags,
  desired: TableTags,
  ownedKeys: string[],
  sensitiveValue: string,
): TagPlan {
  const owned = (set: TagSet) => Object.entries(set).filter(([k]) => ownedKeys.includes(k));
  const plan: TagPlan = [];
  const tightens = (value: string) => sameTagValue(value, sensitiveValue);

  for (const [key, value] of owned(desired.table))
    if (!sameTagValue(current.table[key], value)) plan.push({ key, value, tightens: tightens(value) });

  const groups = new Map<string, TagAssignment>();
  for (const [column, set] of Object.entries(desired.columns))
    for (const [key, value] of owned(set)) {
      if (sameTagValue(current.columns[column]?.[key], value)) continue;
      const id = `${key}\u0000${value}`;
      const group = groups.get(id) ?? { key, value, columns: [], tightens: tightens(value) };
      group.columns!.push(column);
      groups.set(id, group);
    }
  plan.push(...groups.values());
  // Fail closed if the apply stops midway: narrowing changes land before widening ones.
  return plan.sort((a, b) => Number(b.tightens) - Number(a.tightens));
}
