import { z } from 'zod';

/**
 * The findings document: the one contract between evaluation (the Glue job in the cloud, the
 * local engines locally) and tagging. Bump FINDINGS_VERSION on any incompatible change; the
 * JSON Schema export (schemas/findings.schema.json) is what the Glue script's tests check against.
 */
export const FINDINGS_VERSION = 2;

const metrics = z.record(z.string(), z.number());

export const ruleResultSchema = z.strictObject({
  rule: z.string().min(1),
  outcome: z.enum(['PASS', 'FAIL', 'ERROR']),
  message: z.string().optional(),
  metrics,
});

/** Why a type was reported for a column (version 2). Examples are redacted, never raw cells. */
export const evidenceSchema = z.strictObject({
  /** the detector rules that matched, e.g. `email-regex`; Glue's own detection is `glue:classify_columns` */
  detectors: z.array(z.string().min(1)),
  /** cells holding the type among the cells read */
  matchedCells: z.number().int().min(0),
  /** non-null cells read: the fraction's denominator */
  sampledCells: z.number().int().min(0),
  threshold: z.number().min(0).max(1),
  /** a column name that backed the verdict, e.g. `ssn` */
  columnNameSignal: z.string().min(1).optional(),
  /** up to three distinct matches, redacted like `J*** S****`, `j***@e******.com` */
  examples: z.array(z.string()).max(3),
  /** present when reading stopped before the end of the sample because the verdict was settled */
  stoppedEarly: z.strictObject({ errorBound: z.number().gt(0).lt(1) }).optional(),
});

export const entityFindingSchema = z.strictObject({
  entityType: z.string().min(1),
  /** fraction of sampled non-null cells holding the entity */
  fraction: z.number().min(0).max(1),
  evidence: evidenceSchema,
});

const sensitiveDataSchema = z.strictObject({
  entityTypes: z.array(z.string()),
  sampleFraction: z.number().gt(0).max(1),
  thresholdFraction: z.number().gt(0).max(1),
  /** every column the scan covered */
  columnsScanned: z.array(z.string()),
  /** columns whose scan failed: the policy treats them as sensitive */
  columnsFailed: z.array(z.strictObject({ column: z.string(), reason: z.string() })),
  /** column → detected entity types at or above the threshold */
  columns: z.record(z.string(), z.array(entityFindingSchema)),
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
  sensitiveData: sensitiveDataSchema,
});

/** Version 1 documents (before evidence), still written by runs and lakes from before the bump. */
const findingsV1Schema = findingsSchema.extend({
  version: z.literal(1),
  sensitiveData: sensitiveDataSchema.extend({
    columns: z.record(z.string(), z.array(entityFindingSchema.omit({ evidence: true }))),
  }),
});

/** What readers (tagging, explain, history) accept: the current version and version 1. */
export const storedFindingsSchema = z.union([findingsSchema, findingsV1Schema]);

/** What an evaluation writes: the current version. */
export type FindingsDocument = z.infer<typeof findingsSchema>;
/** A stored document of any readable version. */
export type Findings = z.infer<typeof storedFindingsSchema>;
export type RuleResult = z.infer<typeof ruleResultSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;

export function findingsJsonSchema(): unknown {
  return z.toJSONSchema(findingsSchema, { target: 'draft-2020-12', io: 'input' });
}
