import { z } from 'zod';
import { closestGlueEntityType, isGlueEntityType } from '../pii/glue-entity-types';
import { closestPhoneRegion, DEFAULT_PHONE_REGIONS, isPhoneRegion } from '../pii/phone-regions';

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

/** Comprehend PII entity types (API_PiiEntity.html). */
const comprehendPiiType = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a Comprehend PII type like EMAIL');

/**
 * Unstructured files (statemachines/ingest-object.asl.yaml). Every key has a default, so the whole
 * section may be left out.
 */
const extractionSchema = z.strictObject({
  /** A raw object is autogov:classification=sensitive when its text holds any of these types. */
  sensitiveEntityTypes: z
    .array(comprehendPiiType)
    .min(1)
    .default([
      'NAME',
      'EMAIL',
      'PHONE',
      'ADDRESS',
      'SSN',
      'CREDIT_DEBIT_NUMBER',
      'BANK_ACCOUNT_NUMBER',
      'PASSPORT_NUMBER',
      'DRIVER_ID',
    ]),
  /**
   * Bounded polling of Textract/Transcribe jobs: a job still running after maxPolls is recorded as
   * timed out. Transcribe has its own budget: it accepts audio of up to 4 hours
   * (https://docs.aws.amazon.com/transcribe/latest/dg/limits-guidelines.html), so the default waits 5.
   */
  polling: z
    .strictObject({
      intervalSeconds: z.number().int().min(1).max(3600).default(10),
      maxPolls: z.number().int().min(1).max(1000).default(90),
      transcribe: z
        .strictObject({
          intervalSeconds: z.number().int().min(1).max(3600).default(60),
          maxPolls: z.number().int().min(1).max(1000).default(300),
        })
        .default({ intervalSeconds: 60, maxPolls: 300 }),
    })
    .default({ intervalSeconds: 10, maxPolls: 90, transcribe: { intervalSeconds: 60, maxPolls: 300 } }),
  /**
   * Textract feature types: any → asynchronous document analysis (StartDocumentAnalysis) instead of
   * text detection. QUERIES is left out: it needs questions, which have no place here yet.
   */
  textract: z
    .strictObject({
      featureTypes: z
        .array(z.enum(['FORMS', 'TABLES', 'SIGNATURES', 'LAYOUT']))
        .default([])
        .refine((ts) => new Set(ts).size === ts.length, 'list each feature type once'),
    })
    .default({ featureTypes: [] }),
  transcribe: z
    .strictObject({
      /** Transcribe's language of the media (PII redaction needs a supported one, e.g. en-US). */
      languageCode: z
        .string()
        .regex(/^[a-z]{2}-[A-Z]{2}$/, 'must be like en-US')
        .default('en-US'),
      maxSpeakers: z.number().int().min(2).max(30).default(10),
      /** Transcribe's own PII identification (ContentRedaction, redacted and unredacted transcripts). */
      identifyPii: z.boolean().default(false),
    })
    .default({ languageCode: 'en-US', maxSpeakers: 10, identifyPii: false }),
  /**
   * When language identification is unsure (top score below minScore — short or OCR'd text), the
   * text is analysed as `fallback` instead of being skipped as an unsupported language.
   */
  language: z
    .strictObject({
      fallback: z
        .string()
        .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a Comprehend language code like en')
        .default('en'),
      minScore: z.number().min(0).max(1).default(0.1),
    })
    .default({ fallback: 'en', minScore: 0.1 }),
  /** Rekognition labels and text for images, besides Textract (off by default: it costs per image). */
  rekognition: z.strictObject({ enabled: z.boolean().default(false) }).default({ enabled: false }),
  /** Re-govern the extracted and metadata tables (LF-Tags) after every ingested object. */
  governTables: z.boolean().default(true),
});

export const governanceSchema = z
  .strictObject({
    version: z.literal(1),
    tags: tagsSchema.default(tagsSchema.parse({})),
    scoreBands: z.array(scoreBand).min(1),
    sensitiveData: z.strictObject({
      entityTypes: z
        .array(
          z
            .string()
            .regex(/^[A-Z][A-Z0-9_]*$/, 'must be a Glue entity type like EMAIL')
            .refine(isGlueEntityType, {
              error: (iss) =>
                `unknown Glue entity type ${String(iss.input)}; did you mean ${closestGlueEntityType(String(iss.input))}?`,
            }),
        )
        .min(1),
      sampleFraction: z.number().gt(0).max(1).default(0.1),
      thresholdFraction: z.number().gt(0).max(1).default(0.1),
      /** local engine: stop reading a column once its verdict is settled within this error; 0 = exact */
      earlyStopErrorBound: z.number().min(0).lt(1).default(1e-6),
      /**
       * local engine: regions whose national phone formats count without a +country code (ISO
       * 3166-1 alpha-2). Glue's PHONE_NUMBER detects US and Canadian numbers only.
       */
      phoneRegions: z
        .array(
          z.string().refine(isPhoneRegion, {
            error: (iss) =>
              `unknown phone region ${String(iss.input)}; did you mean ${closestPhoneRegion(String(iss.input))}?`,
          }),
        )
        .min(1)
        .default([...DEFAULT_PHONE_REGIONS]),
    }),
    declassification: z.enum(['sticky', 'automatic']).default('sticky'),
    personas: z.record(identifier, personaSchema),
    defaults: tableRules.partial({ references: true }),
    databases: z.record(identifier, databaseSchema).default({}),
    extraction: extractionSchema.default(extractionSchema.parse({})),
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
export type ExtractionConfig = Governance['extraction'];
