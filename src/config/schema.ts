import { z } from 'zod';

// Lake Formation stores keys and values lower-cased and allows this character set; the stricter
// documented length (50) is enforced so a config that works locally also deploys.
const LF_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]{1,50}$/u;
const tagText = z.string().regex(LF_TAG_TEXT, 'must be 1–50 letters, digits, spaces or _.:/=+-@%');
const identifier = z.string().regex(/^[A-Za-z0-9_]+$/, 'must be letters, digits or _');

const tagsSchema = z.strictObject({
  tableKey: tagText.default('tbl_class'),
  columnKey: tagText.default('col_class'),
  qualityKey: tagText.default('dq_tag'),
  sensitive: tagText.default('sensitive'),
  public: tagText.default('public'),
});

const scoreBand = z.strictObject({ value: tagText, min: z.number().min(0).max(100) });

const grantSchema = z.record(tagText, z.array(tagText).min(1));

const personaSchema = z.strictObject({
  description: z.string().optional(),
  principal: z.string().startsWith('arn:', 'must be an IAM ARN').optional(),
  grants: z.array(grantSchema).min(1),
});

/** DQDL alias → `table` (same database) or `database.table`. */
const referencesSchema = z.record(identifier, z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$/));

const tableRules = z.strictObject({
  ruleset: z.string().min(1),
  references: referencesSchema.optional(),
});

const databaseSchema = z.strictObject({
  ruleset: z.string().min(1).optional(),
  references: referencesSchema.optional(),
  tables: z.record(identifier, tableRules.partial()).optional(),
});

export const governanceSchema = z
  .strictObject({
    version: z.literal(1),
    tags: tagsSchema.default(tagsSchema.parse({})),
    scoreBands: z.array(scoreBand).min(1),
    sensitiveData: z.strictObject({
      entityTypes: z
        .array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a Glue entity type like EMAIL'))
        .min(1),
      sampleFraction: z.number().gt(0).max(1).default(0.1),
      thresholdFraction: z.number().gt(0).max(1).default(0.1),
    }),
    declassification: z.enum(['sticky', 'automatic']).default('sticky'),
    personas: z.record(identifier, personaSchema),
    defaults: tableRules.partial({ references: true }),
    databases: z.record(identifier, databaseSchema).default({}),
  })
  .superRefine((cfg, ctx) => {
    const mins = cfg.scoreBands.map((b) => b.min);
    if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!))
      ctx.addIssue({
        code: 'custom',
        path: ['scoreBands'],
        message: 'bands must be listed from highest min down',
      });
    if (mins.at(-1) !== 0)
      ctx.addIssue({ code: 'custom', path: ['scoreBands'], message: 'the last band must have min: 0' });
    const { tableKey, columnKey, qualityKey, sensitive, public: pub } = cfg.tags;
    const allowed: Record<string, string[]> = {
      [tableKey]: [sensitive, pub],
      [columnKey]: [sensitive, pub],
      [qualityKey]: cfg.scoreBands.map((b) => b.value),
    };
    for (const [persona, p] of Object.entries(cfg.personas)) {
      p.grants.forEach((grant, i) => {
        for (const [key, values] of Object.entries(grant)) {
          const known = allowed[key];
          if (!known) {
            ctx.addIssue({
              code: 'custom',
              path: ['personas', persona, 'grants', i, key],
              message: `unknown tag key '${key}' (autogov's keys: ${Object.keys(allowed).join(', ')})`,
            });
            continue;
          }
          for (const v of values)
            if (!known.some((k) => k.toLowerCase() === v.toLowerCase()))
              ctx.addIssue({
                code: 'custom',
                path: ['personas', persona, 'grants', i, key],
                message: `unknown value '${v}' for ${key} (one of: ${known.join(', ')})`,
              });
        }
      });
    }
  });

export type Governance = z.infer<typeof governanceSchema>;
export type TagNames = Governance['tags'];
export type Persona = Governance['personas'][string];
/** A grant expression: tag key → allowed values. */
export type Grant = Record<string, string[]>;
