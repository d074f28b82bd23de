import { readFile } from 'node:fs/promises';
import type { Column as GlueColumn } from '@aws-sdk/client-glue';
import { DuckDBInstance } from '@duckdb/node-api';
import { z } from 'zod';
import type { GluePort, S3Port } from '../aws/ports';
import { parseS3Uri, type S3Location, s3Uri, writeJson } from '../aws/s3-json';
import { isTableDataKey } from '../data/files';
import { glueType } from '../data/source';
import { validateDataFile } from '../data/validate';
import { StaticFileSet } from '../dqdl/history';
import { evaluateTable, type TableData } from '../engine/evaluate-table';
import { UserError } from '../errors';
import { S3MetricHistory } from '../governance/history';

/** The Glue job's arguments, as the state machine passes them (all strings). */
const argsSchema = z.object({
  '--database': z.string().min(1),
  '--table': z.string().min(1),
  '--run_id': z.string().min(1),
  '--location': z.string().startsWith('s3://'),
  '--ruleset': z.string(),
  '--references': z.string().transform((s) => z.record(z.string(), z.string()).parse(JSON.parse(s))),
  '--entity_types': z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  '--sample_fraction': z.coerce.number().gt(0).max(1),
  '--threshold_fraction': z.coerce.number().gt(0).max(1),
  '--findings_uri': z.string().startsWith('s3://'),
  // false for the stack's document tables: their catalog definition is the stack's, not inferred.
  '--update_catalog': z.enum(['true', 'false']),
});

export interface GovernTableJobDeps {
  s3: S3Port;
  glue: GluePort;
  /** where the local lake keeps an object's bytes, so DuckDB can read it in place */
  localPath(location: S3Location): Promise<string>;
}

/**
 * The local counterpart of glue-scripts/govern_table.py: reads every data file of the table,
 * registers or updates it in the catalog, evaluates DQDL and sensitive data, writes the findings.
 */
export function governTableJob(deps: GovernTableJobDeps) {
  return async (rawArgs: Record<string, string>): Promise<void> => {
    const args = argsSchema.parse(rawArgs);
    const database = args['--database'];
    const table = args['--table'];
    const label = `${database}.${table}`;
    const location = parseS3Uri(args['--location']);
    const primary = await tableData(deps, location, label);

    const references: Record<string, TableData> = {};
    for (const [alias, ref] of Object.entries(args['--references'])) {
      const [refDb, refTable] = ref.split('.') as [string, string];
      const refLocation = await registeredLocation(deps.glue, refDb, refTable, alias, label);
      references[alias] = await tableData(deps, refLocation, ref);
    }

    const instance = await DuckDBInstance.create(':memory:');
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
        },
      });
      if (args['--update_catalog'] === 'true')
        await registerTable(
          deps.glue,
          database,
          table,
          s3Uri(location),
          columns.map((c) => ({ Name: c.name, Type: glueType(c.type) })),
          primary.files,
        );
      await writeJson(deps.s3, parseS3Uri(args['--findings_uri']), findings);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
}

async function tableData(
  deps: GovernTableJobDeps,
  location: S3Location,
  label: string,
): Promise<TableData & { fileSet: StaticFileSet }> {
  const objects: { key: string; size: number; modified: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await deps.s3.listObjectsV2({
      Bucket: location.bucket,
      Prefix: location.key,
      ContinuationToken: token,
    });
    for (const o of page.Contents ?? [])
      if (o.Key && isTableDataKey(o.Key.slice(location.key.length)))
        objects.push({ key: o.Key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
    token = page.NextContinuationToken;
  } while (token);
  if (objects.length === 0)
    throw new UserError(
      `${label}: no data files under ${s3Uri(location)}; ingest a .csv, .jsonl or .parquet file`,
    );
  objects.sort((a, b) => a.key.localeCompare(b.key));
  const uris = objects.map(({ key }) => s3Uri({ bucket: location.bucket, key }));
  const files = await Promise.all(objects.map(({ key }) => deps.localPath({ bucket: location.bucket, key })));
  // A bad file fails the run before anything is evaluated or tagged: the previous tags stay.
  for (const [i, file] of files.entries())
    await validateDataFile(file, `${label}: ${objects[i]!.key.slice(location.key.length)}`);
  const localOf = new Map(uris.map((uri, i) => [uri, files[i]!]));
  const fileSet = new StaticFileSet(
    objects.map((o, i) => ({ path: uris[i]!, size: o.size, modified: o.modified })),
    async (path) => readFile(localOf.get(path) ?? path),
  );
  return { label, files, fileSet };
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
): Promise<void> {
  await glue.getDatabase({ Name: database }).catch(async (err: { name?: string }) => {
    if (err.name !== 'EntityNotFoundException') throw err;
    // As in the cloud job: no IAMAllowedPrincipals grant on its new tables (docs/permissions.md).
    await glue.createDatabase({ DatabaseInput: { Name: database, CreateTableDefaultPermissions: [] } });
  });
  const ext = files[0]!.split('.').at(-1)!.toLowerCase();
  const classification = ext === 'parquet' ? 'parquet' : ext === 'csv' ? 'csv' : 'json';
  const TableInput = {
    Name: table,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification, 'autogov:governed': 'true' },
    StorageDescriptor: { Location: location, Columns: columns },
  };
  try {
    await glue.getTable({ DatabaseName: database, Name: table });
    await glue.updateTable({ DatabaseName: database, TableInput });
  } catch (err) {
    if ((err as { name?: string }).name !== 'EntityNotFoundException') throw err;
    await glue.createTable({ DatabaseName: database, TableInput });
  }
}
