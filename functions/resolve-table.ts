import { randomBytes } from 'node:crypto';
import { cloudHandler } from '../src/aws/cloud';
import { s3Uri } from '../src/aws/s3-json';
import type { HandlerFactory } from '../src/aws/services';
import { loadGovernance, resolveTableGovernance } from '../src/config/load';
import { parseDqdl } from '../src/dqdl/parse';
import { UserError } from '../src/errors';
import { parseTableTarget } from '../src/governance/input';
import { certifiedLocation, findingsLocation, manifestLocation, tableLocation } from '../src/governance/keys';
import { DOCUMENT_TABLES, type DocumentTable, documentTableLocation } from '../src/ingest/keys';

export interface ResolvedTable {
  database: string;
  table: string;
  runId: string;
  findingsUri: string;
  /** the staged files the run evaluates, which its Promote step copies to the certified location */
  manifestUri: string;
  /** Glue job arguments: every value a string, as Glue requires */
  arguments: Record<string, string>;
}

/** Sortable and unique: when it ran, then randomness. */
const newRunId = () => `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;

/**
 * First step of table governance: which table, which ruleset and reference tables, which PII
 * settings — all from governance.yml — as arguments for the evaluation job. A ruleset that does
 * not parse fails here, before any job starts.
 */
export const createHandler: HandlerFactory<unknown, ResolvedTable, never> = (services) => async (event) => {
  const { database, table } = parseTableTarget(event);
  const gov = loadGovernance(services.settings.governancePath);
  const resolved = resolveTableGovernance(gov, database, table);
  const parsed = parseDqdl(resolved.rulesetText);
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    throw new UserError(`${resolved.rulesetPath}:${e.line}:${e.column}: ${e.message}; fix the ruleset`);
  }
  // The document tables (ingestion output, written by autogov) are read in place in the extracted
  // bucket; every other table is staged under the raw bucket's tables/<database>/<table>/ and served
  // from the certified bucket once a run has evaluated it (src/data/certify.ts).
  const documentTable =
    database === services.settings.documentsDatabase && DOCUMENT_TABLES.includes(table as DocumentTable);
  const location = documentTable
    ? documentTableLocation(services.settings, table as DocumentTable)
    : tableLocation(services.settings, database, table);
  const certified = documentTable ? location : certifiedLocation(services.settings, database, table);
  const runId = newRunId();
  const findingsUri = s3Uri(findingsLocation(services.settings, database, table, runId));
  const manifestUri = s3Uri(manifestLocation(services.settings, database, table, runId));
  const { entityTypes, sampleFraction, thresholdFraction, earlyStopErrorBound, phoneRegions } =
    gov.config.sensitiveData;
  const references = Object.fromEntries(
    Object.entries(resolved.references).map(([alias, ref]) => [alias, `${ref.database}.${ref.table}`]),
  );
  return {
    database,
    table,
    runId,
    findingsUri,
    manifestUri,
    arguments: {
      '--database': database,
      '--table': table,
      '--run_id': runId,
      '--location': s3Uri(location),
      '--certified_location': s3Uri(certified),
      '--manifest_uri': manifestUri,
      '--ruleset': resolved.rulesetText,
      '--references': JSON.stringify(references),
      '--entity_types': JSON.stringify(entityTypes),
      '--sample_fraction': String(sampleFraction),
      '--threshold_fraction': String(thresholdFraction),
      // Read by the local job only: Glue's classify_columns always reads the whole sample.
      '--early_stop_error_bound': String(earlyStopErrorBound),
      // Local job only too: Glue's PHONE_NUMBER has no regions (US and Canadian numbers).
      '--phone_regions': JSON.stringify(phoneRegions),
      '--findings_uri': findingsUri,
      // The stack defines the document tables (serverless.yml, src/ingest/tables.ts): the job must
      // not replace their definition with one inferred from the files.
      '--update_catalog': String(!documentTable),
    },
  };
};

export const handler = cloudHandler(createHandler, () => ({}));
