import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DatabaseInput } from '@aws-sdk/client-glue';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { type S3Location, writeJson } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import { type LoadedGovernance, loadGovernance } from '../config/load';
import {
  ALLOW_NEW_COLUMNS_METADATA,
  columnDifference,
  columnMismatch,
  dataFileColumns,
} from '../data/column-match';
import { formatOf, isTableDataKey } from '../data/files';
import { type StageableFile, stageableFile } from '../data/json-array';
import { glueName, tableFileName } from '../data/names';
import { listTableObjects } from '../data/table-objects';
import { validateDataFile } from '../data/validate';
import { validatedFilesIn } from '../data/validated-files';
import { UserError } from '../errors';
import { overridesLocation, TABLES_PREFIX, tableLocation, tableOfKey } from '../governance/keys';
import { governTableJob } from '../jobs/govern-table';
import {
  type LocalAiServices,
  type LocalServices,
  type LocalServicesOptions,
  localDatabaseName,
  openLocalServices,
} from '../local/services';
import type { ProgressListener } from '../local/sfn';
import { ensureTagKeys } from '../policy/apply';
import { sensitiveTypes } from '../policy/desired';
import { existingFile } from '../user-file';
import { LakeReader, PROJECT_ROOT } from './lake-reader';

export { PROJECT_ROOT } from './lake-reader';

export interface TableFileOptions {
  /** accept a file whose columns differ from its table's (`--allow-new-columns`) */
  allowNewColumns?: boolean;
}

/**
 * The Glue databases the stack creates, as rendered (with their CreateTableDefaultPermissions), so
 * local tables get the grants their cloud twins would; databases that exist are left as they are.
 */
async function createStackDatabases(services: LocalServices): Promise<void> {
  for (const r of Object.values(services.stackResources())) {
    if (r.Type !== 'AWS::Glue::Database') continue;
    const input = r.Properties.DatabaseInput as DatabaseInput;
    if (!input.Name) continue;
    await services.glue
      .createDatabase({ DatabaseInput: { ...input, Name: localDatabaseName(input.Name) } })
      .catch((err: { name?: string }) => {
        if (err.name !== 'AlreadyExistsException') throw err;
      });
  }
}

export interface ExecutionSummary {
  name: string;
  status: string;
  /** one line: why it failed */
  error?: string;
  output?: unknown;
}

export interface LocalLakeOptions {
  lake: string;
  governance: string;
  onProgress?: ProgressListener;
  /** replaces the local AI emulators (tests inject throttling or stuck jobs) */
  ai?: LocalAiServices;
  /** edits the stack's rendered grants before they are enforced (tests remove one at a time) */
  editResources?: LocalServicesOptions['editResources'];
  /** a new catalog for a lake whose catalog.duckdb was lost (see rebuildCatalog) */
  rebuildCatalog?: boolean;
  /** for `plan`: creates nothing, not even tag values an edited governance.yml adds */
  readOnly?: boolean;
}

/**
 * The local embedded default as the CLI uses it: the raw bucket, the state machines and the catalog
 * of one lake folder, driven the way a user drives the cloud (drop a file, start an execution).
 */
export class LocalLake extends LakeReader {
  declare readonly services: LocalServices;

  private constructor(services: LocalServices, governance: LoadedGovernance) {
    super(services, governance);
  }

  static override async open(opts: LocalLakeOptions): Promise<LocalLake> {
    const governance = loadGovernance(opts.governance);
    let services: LocalServices | undefined;
    services = await openLocalServices(opts.lake, {
      projectRoot: PROJECT_ROOT,
      governancePath: governance.path,
      onProgress: opts.onProgress,
      ai: opts.ai,
      editResources: opts.editResources,
      rebuildCatalog: opts.rebuildCatalog,
      jobs: {
        // As its serverless.yml role: the calls it makes are that role's (services.iamCalls).
        GovernTableJob: (args) => {
          const { s3, glue, lakeFormation } = services!.forJob('GovernTableJob');
          return governTableJob({
            s3,
            glue,
            lakeFormation,
            localPath: (loc, versionId) => services!.s3.localPath(loc.bucket, loc.key, versionId),
            validated: validatedFiles(services!),
          })(args);
        },
      },
    });
    try {
      if (!opts.readOnly) {
        await createStackDatabases(services);
        await ensureTagKeys(services.lakeFormation, governance.config);
      }
    } catch (err) {
      await services.close();
      throw err;
    }
    return new LocalLake(services, governance);
  }

  /**
   * The local "drop a file into the raw bucket": the file is checked first (a bad file is refused
   * and nothing is placed), then staged under the table's raw folder; the raw bucket's event starts
   * table governance, which runs to completion and, if it succeeds, certifies (serves) the file.
   */
  async ingestTableFile(
    file: string,
    database: string,
    table: string,
    name = basename(file),
    opts: TableFileOptions = {},
  ): Promise<ExecutionSummary[]> {
    const checked = await this.checkTableFile(file, database, table, name, opts);
    try {
      return await executionsStartedBy(this.services, async () => {
        const { location } = checked;
        const key = `${location.key}${name}`;
        const body = await readFile(checked.path);
        const put = await this.services.s3.putObject({
          Bucket: location.bucket,
          Key: key,
          Body: body,
          // The run checks new columns again against the catalog; this approval travels with the object.
          ...(opts.allowNewColumns ? { Metadata: { [ALLOW_NEW_COLUMNS_METADATA]: 'true' } } : {}),
        });
        // These bytes were just validated: the run the upload starts need not validate them again
        // (if it looks before this record lands, it validates them itself).
        await validatedFiles(this.services).add({
          bucket: location.bucket,
          key,
          versionId: put.VersionId,
          etag: put.ETag!,
          size: body.byteLength,
        });
      });
    } finally {
      await checked.dispose();
    }
  }

  /**
   * What ingest refuses before placing anything (also what `plan` checks): the table's location and
   * the file to stage — the user's file, or a JSON array's JSON lines (the only JSON Athena reads),
   * in a temporary copy that `dispose` removes.
   */
  async checkTableFile(
    file: string,
    database: string,
    table: string,
    name: string,
    opts: TableFileOptions = {},
  ): Promise<StageableFile & { location: S3Location }> {
    existingFile(file, 'data file');
    const db = glueName('database', database);
    const tbl = glueName('table', table);
    const location = tableLocation(this.services.settings, db, tbl);
    tableFileName(name, location.key);
    await this.refuseFormatMismatch(location, name);
    const staged = await stageableFile(file);
    try {
      await validateDataFile(staged.path, basename(file));
      if (!opts.allowNewColumns) await this.refuseColumnMismatch(staged.path, basename(file), db, tbl);
      return { ...staged, location };
    } catch (err) {
      await staged.dispose();
      throw err;
    }
  }

  async removeTableFile(database: string, table: string, name: string): Promise<ExecutionSummary[]> {
    const location = tableLocation(
      this.services.settings,
      glueName('database', database),
      glueName('table', table),
    );
    tableFileName(name, location.key);
    const key = `${location.key}${name}`;
    await this.services.s3.headObject({ Bucket: location.bucket, Key: key }).catch(() => {
      throw new UserError(
        `${database}.${table} has no file ${name}; see the table's files under tables/${database}/${table}/`,
      );
    });
    // A table without data files fails every run, and every table using it as a reference with it.
    const others = (await listTableObjects(this.services.s3, location)).filter((o) => o.key !== key);
    if (others.length === 0)
      throw new UserError(
        `${name} is the last data file of ${database}.${table}; a table needs one to be governed (and to serve as a reference): ingest its replacement first, then remove it`,
      );
    return executionsStartedBy(this.services, () =>
      this.services.s3.deleteObject({ Bucket: location.bucket, Key: key }).then(() => {}),
    );
  }

  /**
   * `autogov catalog rebuild`: after opening with `rebuildCatalog`, re-governs every table staged in
   * the raw bucket, so its Glue table, LF-Tags and certified files come back from its stored files and
   * records (findings history, declassifications). Tables whose reference is not back yet are retried
   * after the others; the last run of each table is returned.
   */
  async regovernStagedTables(): Promise<(ExecutionSummary & { table: string })[]> {
    const { bucket } = tableLocation(this.services.settings, 'd', 't');
    const staged = new Set<string>();
    for await (const o of listObjects(this.services.s3, bucket, TABLES_PREFIX)) {
      const t = tableOfKey(o.Key!);
      if (t && isTableDataKey(t.file)) staged.add(`${t.database}.${t.table}`);
    }
    const last = new Map<string, ExecutionSummary>();
    for (let pending = [...staged].sort(); pending.length; ) {
      for (const name of pending) {
        const [database, table] = name.split('.') as [string, string];
        last.set(
          name,
          await this.start('govern-table', { database, table }, `rebuild-${database}-${table}-${Date.now()}`),
        );
      }
      const failed = pending.filter((n) => last.get(n)!.status !== 'SUCCEEDED');
      if (failed.length === pending.length) break; // no progress: what is left fails on its own
      pending = failed;
    }
    return [...last].map(([table, run]) => ({ table, ...run }));
  }

  /** The local "start execution" of the Step Functions console. */
  async start(machine: string, input: unknown, name?: string): Promise<ExecutionSummary> {
    const machines = this.services.sfn.stateMachines();
    const found = machines.find((m) => m.name === machine);
    if (!found)
      throw new UserError(
        `${machine}: no such state machine; one of: ${machines.map((m) => m.name).join(', ')}`,
      );
    const res = await this.services.sfn.startExecution({
      stateMachineArn: found.arn,
      name: name ?? `console-${Date.now()}`,
      input: JSON.stringify(input),
    });
    await this.services.drain();
    return summarize(await this.services.sfn.describeExecution({ executionArn: res.executionArn! }));
  }

  /**
   * Records a reasoned declassification of a sensitive column and re-governs the table, so the
   * column turns public under the same policy run that would have kept it sensitive.
   */
  async declassify(
    database: string,
    table: string,
    column: string,
    reason: string,
  ): Promise<ExecutionSummary> {
    const columns = await this.tableColumns(database, table);
    if (!columns.includes(column))
      throw new UserError(`${database}.${table} has no column ${column}; its columns: ${columns.join(', ')}`);
    // An override on a public column would silently pre-approve whatever it later turns out to hold.
    const { columnKey, sensitive } = this.governance.config.tags;
    if ((await this.tags(database, table)).columns[column]?.[columnKey] !== sensitive)
      throw new UserError(`${database}.${table}.${column} is not sensitive; there is nothing to declassify`);
    const findings = await this.latestFindings(database, table);
    const at = overridesLocation(this.services.settings, database, table);
    const overrides = await this.overrides(database, table);
    overrides.columns[column] = {
      reason,
      at: new Date().toISOString(),
      by: process.env.USER,
      entityTypes: findings ? sensitiveTypes(findings, column, this.governance.config) : [],
    };
    await writeJson(this.services.s3, at, overrides);
    return this.start('govern-table', { database, table }, `declassify-${database}-${table}-${Date.now()}`);
  }

  /** A file of other columns than its catalogued table's would silently reshape it (issue 11). */
  private async refuseColumnMismatch(path: string, label: string, database: string, table: string) {
    const known = await this.tableColumns(database, table).catch((err) => {
      if (err instanceof UserError) return undefined; // no such table yet
      throw err;
    });
    if (!known) return; // the table's first file defines it
    const mismatch = columnMismatch(
      label,
      `${database}.${table}`,
      columnDifference(known, await dataFileColumns([path], label)),
    );
    if (mismatch) throw new UserError(mismatch);
  }

  /** One table is one format: a JSON file into a CSV table would fail every later run. */
  private async refuseFormatMismatch(location: S3Location, name: string): Promise<void> {
    const format = formatOf(name);
    const existing = (await listTableObjects(this.services.s3, location)).find(
      (o) => formatOf(o.name) !== format,
    );
    if (existing)
      throw new UserError(
        `${name}: a ${format} file into a ${formatOf(existing.name)} table (${existing.name}); convert it or use another table`,
      );
  }
}

/** Runs `action` (e.g. a put into the raw bucket) and returns the executions it started, finished. */
export async function executionsStartedBy(
  services: LocalServices,
  action: () => Promise<void>,
): Promise<ExecutionSummary[]> {
  const before = new Set((await services.sfn.listExecutions()).map((e) => e.executionArn));
  await action();
  await services.drain();
  const after = await services.sfn.listExecutions();
  return after.filter((e) => !before.has(e.executionArn)).map(summarize);
}

/** The lake's record of validated object versions (a folder of markers beside its objects). */
export const validatedFiles = (services: LocalServices) =>
  validatedFilesIn(join(services.lake.root, 'validated'));

function summarize(e: DescribeExecutionCommandOutput): ExecutionSummary {
  return {
    name: e.name!,
    status: e.status!,
    error: e.status === 'SUCCEEDED' ? undefined : (e.cause ?? e.error),
    output: e.output ? JSON.parse(e.output) : undefined,
  };
}
