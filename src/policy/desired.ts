import { z } from 'zod';
import type { Governance } from '../config/schema';
import type { Findings } from '../findings/schema';
import { qualityBand } from './score';
import { sameTagValue, type TableTags } from './tags';

/** A recorded, reasoned declassification of one column (`autogov declassify`). */
export const overrideSchema = z.strictObject({
  reason: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  by: z.string().optional(),
  /** entity types the column held when declassified: a new type found later re-classifies it */
  entityTypes: z.array(z.string()),
});
export const overridesSchema = z.strictObject({ columns: z.record(z.string(), overrideSchema) });
export type Override = z.infer<typeof overrideSchema>;
export type Overrides = z.infer<typeof overridesSchema>;

export interface Decision {
  tags: TableTags;
  /** why each column got its class, for people reading the output */
  reasons: Record<string, string>;
}

/** Entity types of a column that governance.yml counts as sensitive. */
export function sensitiveTypes(findings: Findings, column: string, config: Governance): string[] {
  const wanted = new Set(config.sensitiveData.entityTypes);
  return (findings.sensitiveData.columns[column] ?? []).map((e) => e.entityType).filter((t) => wanted.has(t));
}

/**
 * The LF-Tags autogov wants on a table, from its latest findings, its current tags and the
 * recorded overrides. Fails closed: an unscanned or failed column is sensitive, and (sticky mode)
 * a sensitive column stays sensitive until declassified.
 */
export function desiredTags(
  findings: Findings,
  current: TableTags,
  overrides: Overrides,
  config: Governance,
): Decision {
  const { tableKey, columnKey, qualityKey, sensitive, public: pub } = config.tags;
  const scanned = new Set(findings.sensitiveData.columnsScanned);
  const failed = new Map(findings.sensitiveData.columnsFailed.map((f) => [f.column, f.reason]));
  const tags: TableTags = { table: {}, columns: {} };
  const reasons: Record<string, string> = {};

  for (const { name } of findings.columns) {
    const types = sensitiveTypes(findings, name, config);
    const override = overrides.columns[name];
    const wasSensitive = sameTagValue(current.columns[name]?.[columnKey], sensitive);
    let isSensitive: boolean;
    if (failed.has(name)) {
      isSensitive = true;
      reasons[name] = `scan failed (${failed.get(name)}): treated as sensitive`;
    } else if (!scanned.has(name)) {
      isSensitive = true;
      reasons[name] = 'not scanned: treated as sensitive';
    } else if (override && types.every((t) => override.entityTypes.includes(t))) {
      isSensitive = false;
      reasons[name] = `declassified: ${override.reason}`;
    } else if (types.length > 0) {
      isSensitive = true;
      reasons[name] = `detected ${types.join(', ')}`;
    } else if (wasSensitive && config.declassification === 'sticky') {
      isSensitive = true;
      reasons[name] = 'sensitive before; sticky until declassified';
    } else {
      isSensitive = false;
      reasons[name] = 'no sensitive entities detected';
    }
    tags.columns[name] = { [columnKey]: isSensitive ? sensitive : pub };
  }

  const anySensitive = Object.values(tags.columns).some((t) => t[columnKey] === sensitive);
  tags.table[tableKey] = anySensitive ? sensitive : pub;
  tags.table[qualityKey] = qualityBand(findings.dataQuality.score, config.scoreBands);
  return { tags, reasons };
}
