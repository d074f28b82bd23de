import { readFile } from 'node:fs/promises';
import type { Column as GlueColumn } from '@aws-sdk/client-glue';
import { z } from 'zod';
import type { GluePort, LakeFormationPort, S3Port } from '../aws/ports';
import { parseS3Uri, type S3Location, s3Uri, writeJson } from '../aws/s3-json';
import { manifestOf } from '../data/certify';
import {
  ALLOW_NEW_COLUMNS_METADATA,
  columnDifference,
  dataFileColumns,
  newColumnsRefusal,
} from '../data/column-match';
import { openEngine } from '../data/engine';
import { formatOf } from '../data/files';
import { glueType } from '../data/source';
import { listTableObjects, type TableObject } from '../data/table-objects';
import { type ValidatedFiles, validateVersionOnce } from '../data/validated-files';
import { StaticFileSet } from '../dqdl/history';
import { evaluateTable, type TableData } from '../engine/evaluate-table';
import { UserError } from '../errors';
import { S3MetricHistory } from '../governance/history';
import { taggerDatabaseGrant, taggerTableGrant } from '../governance/tagger';

/** The Glue job's arguments, as the state machine passes them (all strings). */
const argsSchema = z.object({
  '--database': z.string().min(1),
  '--table': z.string().min(1),
  '--run_id': z.string().min(1),
  /** the staged table folder (raw uploads) the run evaluates */
  '--location': z.string().startsWith('s3://'),
  /** the table's catalog location: where a successful run promotes what it evaluated */
  '--certified_location': z.string().startsWith('s3://'),
  /** where the run records which staged files it evaluated (src/data/certify.ts) */
  '--manifest_uri': z.string().startsWith('s3://'),
  '--ruleset': z.string(),
  '--references': z.string().transform((s) => z.record(z.string(), z.string()).parse(JSON.parse(s))),
  '--entity_types': z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  '--sample_fraction': z.coerce.number().gt(0).max(1),
  '--threshold_fraction': z.coerce.number().gt(0).max(1),
  '--early_stop_error_bound': z.coerce.number().min(0).lt(1).default(0),
  '--phone_regions': z
    .string()
    .transform((s) => z.array(z.string()).parse(JSON.parse(s)))
    .optional(),
  '--findings_uri': z.string().startsWith('s3://'),
  // A DefaultArgument of the job (serverless.yml): the tagging role to grant on each table.
  '--tagger_role_arn': z.string().min(1),
  // false for the stack's document tables: their catalog definition is the stack's, not inferred.
  '--update_catalog': z.enum(['true', 'false']),
});

export interface GovernTableJobDeps {
  s3: S3Port;
  glue: GluePort;
  lakeFormation: Pick<LakeFormationPort, 'grantPermissions'>;
  /** where the local lake keeps an object's bytes (that version), so DuckDB can read it in place */
  localPath(location: S3Location, versionId?: string): Promise<string>;
  /** the object versions that already passed validation (ingest checked them, or an earlier run) */
  validated: ValidatedFiles;
}

/**
 * The local counterpart of glue-scripts/govern_table.py: reads every staged data file of the table,
 * registers or updates it in the catalog (located at its certified location), evaluates DQDL and
 * sensitive data, writes the manifest of evaluated files and the findings. It serves nothing itself:
 * the state machine's Promote step copies the manifest's files once the tags are applied.
 */
export function governTableJob(deps: GovernTableJobDeps) {
  return async (rawArgs: Record<string, string>): Promise<void> => {
    const args = argsSchema.parse(rawArgs);
    const database = args['--database'];
    const table = args['--table'];
    const label = `${database}.${table}`;
    const location = parseS3Uri(args['--location']);
    const certified = parseS3Uri(args['--certified_location']);
    const primary = await tableData(deps, location, label);
    if (args['--update_catalog'] === 'true')
      await refuseUnapprovedColumns(deps.glue, database, table, primary);

    const references: Record<string, TableData> = {};
    for (const [alias, ref] of Object.entries(args['--references'])) {
      const [refDb, refTable] = ref.split('.') as [string, string];
      const refLocation = await registeredLocation(deps.glue, refDb, refTable, alias, label);
      references[alias] = await tableData(deps, refLocation, ref);
    }

    const instance = await openEngine([primary, ...Object.values(references)].flatMap((t) => t.files));
    const connection = await instance.connect();
    try {
      const { findings, columns } = await evaluateTable(connection, {
        database,
        table,
        runId: args['--run_id'],
        primary,
        references,
        ruleset: { text: args['--ruleset'], label: `ruleset of ${label}` },
        history: new S3MetricHistory(deps.s3, parseS3Uri(args['--findings_uri']).bucket),
        files: primary.fileSet,
        pii: {
          entityTypes: args['--entity_types'],
          sampleFraction: args['--sample_fraction'],
          thresholdFraction: args['--threshold_fraction'],
          earlyStopErrorBound: args['--early_stop_error_bound'],
          ...(args['--phone_regions'] ? { phoneRegions: args['--phone_regions'] } : {}),
        },
      });
      // The stack's document tables are not re-registered (--update_catalog false); the job grants
      // only on databases and tables it creates: only the creator may (the stack's grants cover its own).
      const created =
        args['--update_catalog'] === 'true'
          ? await registerTable(
              deps.glue,
              database,
              table,
              s3Uri(certified),
              columns.map((c) => ({ Name: c.name, Type: glueType(c.type) })),
              primary.files,
            )
          : { database: false, table: false };
      if (created.database)
        await deps.lakeFormation.grantPermissions(taggerDatabaseGrant(args['--tagger_role_arn'], database));
      if (created.table)
        await deps.lakeFormation.grantPermissions(
          taggerTableGrant(args['--tagger_role_arn'], database, table),
        );
      const run = { database, table, runId: args['--run_id'] };
      await writeJson(
        deps.s3,
        parseS3Uri(args['--manifest_uri']),
        manifestOf(run, location, certified, primary.objects),
      );
      await writeJson(deps.s3, parseS3Uri(args['--findings_uri']), findings);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
}

/**
 * The table's data files under `location`, each pinned to one version, so what is evaluated is
 * exactly what the manifest names (a newer upload starts its own run).
 */
async function tableData(
  deps: GovernTableJobDeps,
  location: S3Location,
  label: string,
): Promise<
  TableData & {
    fileSet: StaticFileSet;
    objects: (TableObject & { versionId?: string; allowNewColumns: boolean })[];
  }
> {
  const listed = await listTableObjects(deps.s3, location);
  if (listed.length === 0)
    throw new UserError(
      `${label}: no data files under ${s3Uri(location)}; ingest a .csv, .tsv, .jsonl or .parquet file`,
    );
  const objects = await Promise.all(
    listed.map(async (o) => {
      const head = await deps.s3.headObject({ Bucket: location.bucket, Key: o.key });
      return {
        ...o,
        etag: head.ETag ?? o.etag,
        size: head.ContentLength ?? o.size,
        versionId: head.VersionId,
        allowNewColumns: head.Metadata?.[ALLOW_NEW_COLUMNS_METADATA] === 'true',
      };
    }),
  );
  const uris = objects.map(({ key }) => s3Uri({ bucket: location.bucket, key }));
  const files = await Promise.all(
    objects.map(({ key, versionId }) => deps.localPath({ bucket: location.bucket, key }, versionId)),
  );
  // A bad file fails the run before anything is evaluated or tagged: the previous tags stay.
  for (const [i, file] of files.entries()) {
    const { key, name, etag, size, versionId } = objects[i]!;
    await validateVersionOnce(
      file,
      `${label}: ${name}`,
      { bucket: location.bucket, key, versionId, etag, size },
      deps.validated,
    );
  }
  const localOf = new Map(uris.map((uri, i) => [uri, files[i]!]));
  const fileSet = new StaticFileSet(
    objects.map((o, i) => ({ path: uris[i]!, size: o.size, modified: o.modified })),
    async (path) => readFile(localOf.get(path) ?? path),
  );
  return { label, files, fileSet, objects };
}

/**
 * New columns join a catalogued table only from files uploaded with the approval
 * (ALLOW_NEW_COLUMNS_METADATA, set by `ingest --allow-new-columns`), as the cloud job checks
 * (glue-scripts/govern_table.py): a file of other columns dropped straight into the bucket fails the
 * run, so it neither reshapes the table nor is served. Files are read one by one only when the
 * table's columns as a whole gained some.
 */
async function refuseUnapprovedColumns(
  glue: GluePort,
  database: string,
  table: string,
  primary: Awaited<ReturnType<typeof tableData>>,
): Promise<void> {
  const label = `${database}.${table}`;
  const known = await glue.getTable({ DatabaseName: database, Name: table }).then(
    (res) => (res.Table?.StorageDescriptor?.Columns ?? []).map((c) => c.Name!),
    (err: { name?: string }) => {
      if (err.name === 'EntityNotFoundException') return undefined; // the first run defines the table
      throw err;
    },
  );
  if (!known || columnDifference(known, await dataFileColumns(primary.files, label)).added.length === 0)
    return;
  for (const [i, o] of primary.objects.entries()) {
    if (o.allowNewColumns) continue;
    const file = `${label}: ${o.name}`;
    const { added } = columnDifference(known, await dataFileColumns([primary.files[i]!], file));
    if (added.length) throw new UserError(newColumnsRefusal(file, label, added));
  }
}

async function registeredLocation(
  glue: GluePort,
  database: string,
  table: string,
  alias: string,
  forTable: string,
): Promise<S3Location> {
  try {
    const res = await glue.getTable({ DatabaseName: database, Name: table });
    const loc = res.Table?.StorageDescriptor?.Location;
    if (!loc) throw new Error('no location');
    return parseS3Uri(loc);
  } catch (err) {
    if (
      (err as { name?: string }).name !== 'EntityNotFoundException' &&
      (err as Error).message !== 'no location'
    )
      throw err;
    throw new UserError(
      `${forTable}: its ruleset's reference '${alias}' is ${database}.${table}, which has no data yet; ingest it first (autogov ingest FILE --table ${database}.${table})`,
    );
  }
}

async function registerTable(
  glue: GluePort,
  database: string,
  table: string,
  location: string,
  columns: GlueColumn[],
  files: string[],
): Promise<{ database: boolean; table: boolean }> {
  const createdDatabase = await glue.getDatabase({ Name: database }).then(
    () => false,
    async (err: { name?: string }) => {
      if (err.name !== 'EntityNotFoundException') throw err;
      // As in the cloud job: no IAMAllowedPrincipals grant on its new tables (docs/permissions.md).
      await glue.createDatabase({ DatabaseInput: { Name: database, CreateTableDefaultPermissions: [] } });
      return true;
    },
  );
  // As the cloud job catalogues it: a TSV table is Glue's csv classification with a tab delimiter.
  const format = formatOf(files[0]!);
  const classification: Record<string, string> =
    format === 'tsv' ? { classification: 'csv', delimiter: '\t' } : { classification: format };
  const TableInput = {
    Name: table,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { ...classification, 'autogov:governed': 'true' },
    StorageDescriptor: { Location: location, Columns: columns },
  };
  try {
    await glue.getTable({ DatabaseName: database, Name: table });
    await glue.updateTable({ DatabaseName: database, TableInput });
    return { database: createdDatabase, table: false };
  } catch (err) {
    if ((err as { name?: string }).name !== 'EntityNotFoundException') throw err;
    await glue.createTable({ DatabaseName: database, TableInput });
    return { database: createdDatabase, table: true };
  }
}
