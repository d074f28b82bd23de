import type { Persona } from '../config/schema';
import { accessByPersona } from './access';
import type { TagPlan } from './plan';
import type { TableTags } from './tags';

/** One owned tag that would change: on the table (`column` absent) or on one column. */
export interface TagChange {
  column?: string;
  key: string;
  /** absent when the resource has no value for the key yet */
  from?: string;
  to: string;
}

/** What one persona would gain or lose on one table. */
export interface AccessChange {
  /** the table turns visible (`gained`) or invisible (`lost`) to the persona */
  table?: 'gained' | 'lost';
  columnsGained: string[];
  columnsLost: string[];
}

/** A table's tags and columns at one point: before or after a change. */
export interface TableState {
  tags: TableTags;
  columns: string[];
}

/** A table's state with the personas (governance.yml grants) in force at that point. */
export interface PersonaView extends TableState {
  personas: Record<string, Persona>;
}

/** A tag plan (as applied by the tagging Lambda), one row per resource and key, with the value it replaces. */
export function tagChanges(plan: TagPlan, current: TableTags): TagChange[] {
  return plan.flatMap((step) =>
    step.columns
      ? step.columns.map((column) => ({
          column,
          key: step.key,
          from: current.columns[column]?.[step.key],
          to: step.value,
        }))
      : [{ key: step.key, from: current.table[step.key], to: step.value }],
  );
}

/**
 * Per persona, the table and columns it can query after the change that it could not before, and the
 * reverse — with each side's own personas, so an edit to the grants shows too.
 */
export function accessChanges(before: PersonaView, after: PersonaView): Record<string, AccessChange> {
  const was = accessByPersona(before.personas, before.tags, before.columns);
  const will = accessByPersona(after.personas, after.tags, after.columns);
  const none = { allowed: false, columns: [] };
  return Object.fromEntries(
    [...new Set([...Object.keys(before.personas), ...Object.keys(after.personas)])].map((name) => {
      // A persona added or removed by a governance.yml edit has no access on the other side.
      const a = was[name] ?? none;
      const b = will[name] ?? none;
      const change: AccessChange = {
        columnsGained: b.columns.filter((c) => !a.columns.includes(c)),
        columnsLost: a.columns.filter((c) => !b.columns.includes(c)),
      };
      if (a.allowed !== b.allowed) change.table = b.allowed ? 'gained' : 'lost';
      return [name, change];
    }),
  );
}

/** True when any persona would see a table or column it cannot see now. */
export function widensAccess(changes: Record<string, AccessChange>): boolean {
  return Object.values(changes).some((c) => c.table === 'gained' || c.columnsGained.length > 0);
}
