import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { type S3Location, writeJson } from '../aws/s3-json';
import { type LoadedGovernance, loadGovernance } from '../config/load';
import { formatOf } from '../data/files';
import { glueName, tableFileName } from '../data/names';
import { validateDataFile } from '../data/validate';
import { UserError } from '../errors';
import { overridesLocation, tableLocation } from '../governance/keys';
import { governTableJob } from '../jobs/govern-table';
import {
  type LocalAiServices,
  type LocalServices,
  type LocalServicesOptions,
  openLocalServices,
} from '../local/services';
import type { ProgressListener } from '../local/sfn';
import { ensureTagKeys } from '../policy/apply';
import { sensitiveTypes } from '../policy/desired';
import { LakeReader, PROJECT_ROOT } from './lake-reader';

export { PROJECT_ROOT } from './lake-reader';

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
      jobs: {
        GovernTableJob: (args) =>
          governTableJob({
            s3: services!.s3,
            glue: services!.glue,
            localPath: (loc) => services!.s3.localPath(loc.bucket, loc.key),
          })(args),
      },
    });
    try {
      if (!opts.readOnly) await ensureTagKeys(services.lakeFormation, governance.config);
    } catch (err) {
      await services.close();
      throw err;
    }
    return new LocalLake(services, governance);
  }

  /**
   * The local "drop a file into the raw bucket": the file is checked first (a bad file is refused
   * and nothing is placed), then put under the table's location; the raw bucket's event starts
   * table governance, which runs to completion.
   */
  async ingestTableFile(
    file: string,
    database: string,
    table: string,
    name = basename(file),
  ): Promise<ExecutionSummary[]> {
    const location = await this.checkTableFile(file, database, table, name);
    return executionsStartedBy(this.services, async () => {
      await this.services.s3.putObject({
        Bucket: location.bucket,
        Key: `${location.key}${name}`,
        Body: await readFile(file),
      });
    });
  }

  /** What ingest refuses before placing anything (also what `plan` checks); the table's location. */
  async checkTableFile(file: string, database: string, table: string, name: string): Promise<S3Location> {
    const location = tableLocation(
      this.services.settings,
      glueName('database', database),
      glueName('table', table),
    );
    tableFileName(name, location.key);
    await this.refuseFormatMismatch(location, name);
    await validateDataFile(file);
    return location;
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
    return executionsStartedBy(this.services, () =>
      this.services.s3.deleteObject({ Bucket: location.bucket, Key: key }).then(() => {}),
    );
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

  /** One table is one format: a JSON file into a CSV table would fail every later run. */
  private async refuseFormatMismatch(location: S3Location, name: string): Promise<void> {
    const format = formatOf(name);
    const existing = (await this.dataKeys(location)).find((k) => formatOf(k) !== format);
    if (existing)
      throw new UserError(
        `${name}: a ${format} file into a ${formatOf(existing)} table (${existing.slice(location.key.length)}); convert it or use another table`,
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

function summarize(e: DescribeExecutionCommandOutput): ExecutionSummary {
  return {
    name: e.name!,
    status: e.status!,
    error: e.status === 'SUCCEEDED' ? undefined : (e.cause ?? e.error),
    output: e.output ? JSON.parse(e.output) : undefined,
  };
}
