import { z } from 'zod';

/**
 * The findings document: the one contract between evaluation (the Glue job in the cloud, the
 * local engines locally) and tagging. Bump FINDINGS_VERSION on any incompatible change; the
 * JSON Schema export (schemas/findings.schema.json) is what the Glue script's tests check against.
 */
export const FINDINGS_VERSION = 1;

const metrics = z.record(z.string(), z.number());

export const ruleResultSchema = z.strictObject({
  rule: z.string().min(1),
  outcome: z.enum(['PASS', 'FAIL', 'ERROR']),
  message: z.string().optional(),
  metrics,
});

export const entityFindingSchema = z.strictObject({
  entityType: z.string().min(1),
  /** fraction of sampled non-null cells holding the entity */
  fraction: z.number().min(0).max(1),
});

export const findingsSchema = z.strictObject({
  version: z.literal(FINDINGS_VERSION),
  database: z.string().min(1),
  table: z.string().min(1),
  runId: z.string().min(1),
  evaluatedAt: z.iso.datetime({ offset: true }),
  engine: z.enum(['glue', 'autogov-local']),
  /** the table's columns as evaluated */
  columns: z.array(z.strictObject({ name: z.string().min(1), type: z.string() })),
  rowCount: z.number().int().min(0).optional(),
  dataQuality: z.strictObject({
    ruleset: z.string(),
    /** passed rules / total rules, 0–1; null when the ruleset has no rules */
    score: z.number().min(0).max(1).nullable(),
    rules: z.array(ruleResultSchema),
    analyzers: z.array(z.strictObject({ analyzer: z.string(), metrics })).default([]),
  }),
  sensitiveData: z.strictObject({
    entityTypes: z.array(z.string()),
    sampleFraction: z.number().gt(0).max(1),
    thresholdFraction: z.number().gt(0).max(1),
    /** every column the scan covered */
    columnsScanned: z.array(z.string()),
    /** columns whose scan failed: the policy treats them as sensitive */
    columnsFailed: z.array(z.strictObject({ column: z.string(), reason: z.string() })),
    /** column → detected entity types at or above the threshold */
    columns: z.record(z.string(), z.array(entityFindingSchema)),
  }),
});

export type Findings = z.infer<typeof findingsSchema>;
export type RuleResult = z.infer<typeof ruleResultSchema>;

export function findingsJsonSchema(): unknown {
  return z.toJSONSchema(findingsSchema, { target: 'draft-2020-12', io: 'input' });
}
