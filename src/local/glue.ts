// GluePort on the local lake: Data Catalog databases and tables, and job runs executed by local job
// implementations (the cloud runs PySpark; locally the same job name maps to a TypeScript function).
import { randomBytes } from 'node:crypto';
import type * as glue from '@aws-sdk/client-glue';
import { z } from 'zod';
import type { GluePort } from '../aws/ports';
import { errorMessage } from '../errors';
import { awsError, inputParser } from './errors';
import { ACCOUNT_TABLE_DEFAULTS, grant, grantTableDefaults } from './lf-permissions';
import { LOCAL_ACCOUNT } from './s3';
import { type Db, json, type Lake, num, optStr, type Row, str } from './store';

/** What a local job gets besides its arguments. */
export interface LocalJobContext {
  jobName: string;
  jobRunId: string;
}

/** A local stand-in for a Glue job; throwing fails the run with the error's message. */
export type LocalJob = (args: Record<string, string>, ctx: LocalJobContext) => Promise<void>;

export interface LocalGlueOptions {
  jobs?: Record<string, LocalJob>;
  /** the `DefaultArguments` of each job; a run's own Arguments override them, as in Glue */
  defaultArguments?: Record<string, Record<string, string>>;
  /** per job: its ExecutionProperty.MaxConcurrentRuns; a job not listed (injected by a test) has no limit */
  maxConcurrentRuns?: Record<string, number>;
  /** how long a getJobRun poll after a run's first waits for it to finish (default 200 ms) */
  pollGraceMs?: number;
}

const nameSchema = z.string().min(1).max(255);
const tableInputSchema = z.looseObject({ Name: nameSchema });

const parse = inputParser((message) => awsError<typeof glue>('InvalidInputException', message));

// The Data Catalog stores database and table names in lower case and looks them up case-insensitively.
const norm = (name: string) => name.toLowerCase();

/** The database, table name (stored lower-case) and TableInput of a create/update request. */
function tableRequest(input: { DatabaseName?: string; TableInput?: glue.TableInput }) {
  const database = norm(parse(nameSchema, input.DatabaseName));
  const parsed = parse(tableInputSchema, input.TableInput);
  return { database, name: norm(parsed.Name), tableInput: parsed as glue.TableInput };
}

type JobRunRow = {
  jobName: string;
  runId: string;
  state: glue.JobRunState;
  args: Record<string, string>;
  error?: string;
  startedMs: number;
  completedMs?: number;
};

const toJobRun = (r: JobRunRow): glue.JobRun => ({
  Id: r.runId,
  JobName: r.jobName,
  JobRunState: r.state,
  Arguments: r.args,
  ErrorMessage: r.error,
  Attempt: 0,
  StartedOn: new Date(r.startedMs),
  LastModifiedOn: new Date(r.completedMs ?? r.startedMs),
  CompletedOn: r.completedMs === undefined ? undefined : new Date(r.completedMs),
  ExecutionTime: r.completedMs === undefined ? undefined : Math.round((r.completedMs - r.startedMs) / 1000),
});

const rowToJobRun = (r: Row): JobRunRow => ({
  jobName: str(r.job_name),
  runId: str(r.run_id),
  state: str(r.state) as glue.JobRunState,
  args: json<Record<string, string>>(r.arguments, {}),
  error: optStr(r.error_message),
  startedMs: num(r.started_ms),
  completedMs: r.completed_ms === null || r.completed_ms === undefined ? undefined : num(r.completed_ms),
});

export class LocalGlue implements GluePort {
  private readonly jobs: Record<string, LocalJob>;
  private readonly maxConcurrentRuns: Record<string, number>;
  private readonly running = new Map<string, Promise<void>>();
  private readonly polls = new Map<string, number>();

  private readonly defaultArguments: Record<string, Record<string, string>>;
  private readonly pollGraceMs: number;

  private constructor(
    private readonly lake: Lake,
    opts: LocalGlueOptions,
  ) {
    this.jobs = { ...opts.jobs };
    this.defaultArguments = { ...opts.defaultArguments };
    this.maxConcurrentRuns = { ...opts.maxConcurrentRuns };
    this.pollGraceMs = opts.pollGraceMs ?? 200;
  }

  /** Opens the emulator; runs left RUNNING by a process that exited are marked FAILED (none hang). */
  static async create(lake: Lake, opts: LocalGlueOptions = {}): Promise<LocalGlue> {
    await lake.write((db) =>
      db.run(
        "UPDATE glue_job_runs SET state = 'FAILED', error_message = $1, completed_ms = $2 WHERE state IN ('STARTING', 'RUNNING')",
        ['The local process running this job exited before it finished', Date.now()],
      ),
    );
    return new LocalGlue(lake, opts);
  }

  /** The catalog side only, for a process that runs no jobs (leaves run records as they are). */
  static reader(lake: Lake): LocalGlue {
    return new LocalGlue(lake, {});
  }

  /** Registers (or replaces) the local implementation of a job. */
  registerJob(name: string, job: LocalJob): void {
    this.jobs[name] = job;
  }

  async getDatabase(input: glue.GetDatabaseCommandInput): Promise<glue.GetDatabaseCommandOutput> {
    const name = norm(parse(nameSchema, input.Name));
    const db = await this.lake.read((d) => this.findDatabase(d, name));
    if (!db) throw awsError<typeof glue>('EntityNotFoundException', `Database ${name} not found.`);
    return { $metadata: {}, Database: db };
  }

  async getDatabases(_input: glue.GetDatabasesCommandInput): Promise<glue.GetDatabasesCommandOutput> {
    const list = await this.lake.read(async (d) => {
      const rows = await d.all('SELECT name FROM glue_databases ORDER BY name');
      const dbs = await Promise.all(rows.map((r) => this.findDatabase(d, str(r.name))));
      return dbs.filter((db): db is glue.Database => db !== undefined);
    });
    return { $metadata: {}, DatabaseList: list };
  }

  /** `creator`: the principal that owns the new database (its implicit permissions, lf-permissions.ts). */
  async createDatabase(
    input: glue.CreateDatabaseCommandInput,
    creator?: string,
  ): Promise<glue.CreateDatabaseCommandOutput> {
    const parsed = parse(z.looseObject({ Name: nameSchema }), input.DatabaseInput);
    // A database created without CreateTableDefaultPermissions takes the account's default (IAM alone
    // decides on its new tables), and GetDatabase shows it (docs/permissions.md).
    const given = parsed as glue.DatabaseInput;
    const dbInput = {
      ...given,
      CreateTableDefaultPermissions: given.CreateTableDefaultPermissions ?? ACCOUNT_TABLE_DEFAULTS,
    };
    const name = norm(parsed.Name);
    await this.lake.write(async (d) => {
      if (await this.findDatabase(d, name))
        throw awsError<typeof glue>('AlreadyExistsException', 'Database already exists.');
      await d.run('INSERT INTO glue_databases VALUES ($1, $2, $3)', [
        name,
        JSON.stringify({ ...dbInput, Name: name }),
        Date.now(),
      ]);
      // "Database creators have all database permissions on databases that they create".
      if (creator)
        await grant(d, {
          principal: creator,
          database: name,
          table: '',
          permissions: ['ALL'],
          grantable: ['ALL'],
        });
    });
    return { $metadata: {} };
  }

  async getTable(input: glue.GetTableCommandInput): Promise<glue.GetTableCommandOutput> {
    const database = norm(parse(nameSchema, input.DatabaseName));
    const name = norm(parse(nameSchema, input.Name));
    const table = await this.lake.read(async (d) => {
      await this.requireDatabase(d, database);
      return this.findTable(d, database, name);
    });
    if (!table) throw awsError<typeof glue>('EntityNotFoundException', `Table ${name} not found.`);
    return { $metadata: {}, Table: table };
  }

  async getTables(input: glue.GetTablesCommandInput): Promise<glue.GetTablesCommandOutput> {
    const database = norm(parse(nameSchema, input.DatabaseName));
    const tables = await this.lake.read(async (d) => {
      await this.requireDatabase(d, database);
      const rows = await d.all('SELECT * FROM glue_tables WHERE database = $1 ORDER BY name', [database]);
      return rows.map((r) => this.toTable(r));
    });
    let matching = tables;
    if (input.Expression) {
      // Glue's pattern: `*` is a wildcard, `|` separates alternatives, the rest is a regex.
      const re = new RegExp(`^(?:${input.Expression.replace(/\*/g, '.*')})$`, 'i');
      matching = tables.filter((t) => re.test(t.Name ?? ''));
    }
    const start = input.NextToken ? Number.parseInt(input.NextToken, 10) : 0;
    if (!Number.isInteger(start) || start < 0)
      throw awsError<typeof glue>('InvalidInputException', 'Invalid NextToken');
    const max = input.MaxResults ?? 100;
    const page = matching.slice(start, start + max);
    const next = start + max < matching.length ? String(start + max) : undefined;
    return { $metadata: {}, TableList: page, NextToken: next };
  }

  /** The catalog as `principal` calls it: the databases and tables it creates are its own. */
  asCaller(principal: string): GluePort {
    return new Proxy(this, {
      get: (target, prop, receiver) =>
        prop === 'createTable'
          ? (input: glue.CreateTableCommandInput) => target.createTable(input, principal)
          : prop === 'createDatabase'
            ? (input: glue.CreateDatabaseCommandInput) => target.createDatabase(input, principal)
            : Reflect.get(target, prop, receiver),
    });
  }

  /** `creator`: the principal that owns the new table (its implicit permissions, lf-permissions.ts). */
  async createTable(
    input: glue.CreateTableCommandInput,
    creator?: string,
  ): Promise<glue.CreateTableCommandOutput> {
    const { database, name, tableInput } = tableRequest(input);
    await this.lake.write(async (d) => {
      const db = await this.findDatabase(d, database);
      if (!db) throw awsError<typeof glue>('EntityNotFoundException', `Database ${database} not found.`);
      if (await this.findTable(d, database, name))
        throw awsError<typeof glue>('AlreadyExistsException', 'Table already exists.');
      const now = Date.now();
      await d.run('INSERT INTO glue_tables VALUES ($1, $2, $3, $4, $5, 1)', [
        database,
        name,
        JSON.stringify({ ...tableInput, Name: name }),
        now,
        now,
      ]);
      await grantTableDefaults(d, database, name, db.CreateTableDefaultPermissions ?? []);
      // "Table creators have all permissions on tables they create and can grant them".
      if (creator)
        await grant(d, {
          principal: creator,
          database,
          table: name,
          permissions: ['ALL'],
          grantable: ['ALL'],
        });
    });
    return { $metadata: {} };
  }

  async updateTable(input: glue.UpdateTableCommandInput): Promise<glue.UpdateTableCommandOutput> {
    const { database, name, tableInput } = tableRequest(input);
    await this.lake.write(async (d) => {
      await this.requireDatabase(d, database);
      if (!(await this.findTable(d, database, name)))
        throw awsError<typeof glue>('EntityNotFoundException', `Table ${name} not found.`);
      await d.run(
        'UPDATE glue_tables SET input = $1, update_ms = $2, version = version + 1 WHERE database = $3 AND name = $4',
        [JSON.stringify({ ...tableInput, Name: name }), Date.now(), database, name],
      );
    });
    return { $metadata: {} };
  }

  async startJobRun(input: glue.StartJobRunCommandInput): Promise<glue.StartJobRunCommandOutput> {
    const jobName = parse(nameSchema, input.JobName);
    const job = this.jobs[jobName];
    if (!job) {
      throw awsError<typeof glue>(
        'EntityNotFoundException',
        `Failed to start job run due to missing metadata: no local job named ${jobName} (registered: ${Object.keys(this.jobs).join(', ') || 'none'})`,
      );
    }
    const args = {
      ...this.defaultArguments[jobName],
      ...parse(z.record(z.string(), z.string()), input.Arguments ?? {}),
    };
    const runId = `jr_${randomBytes(32).toString('hex')}`;
    const max = this.maxConcurrentRuns[jobName] ?? Number.POSITIVE_INFINITY;
    await this.lake.write(async (d) => {
      const [row] = await d.all(
        "SELECT count(*) AS n FROM glue_job_runs WHERE job_name = $1 AND state IN ('STARTING', 'RUNNING')",
        [jobName],
      );
      // As Glue refuses a run beyond the job's MaxConcurrentRuns; the state machine retries it.
      if (num(row?.n) >= max)
        throw awsError<typeof glue>(
          'ConcurrentRunsExceededException',
          `Concurrent runs exceeded for ${jobName}`,
        );
      await d.run("INSERT INTO glue_job_runs VALUES ($1, $2, 'RUNNING', $3, NULL, $4, NULL)", [
        jobName,
        runId,
        JSON.stringify(args),
        Date.now(),
      ]);
    });
    // Runs in the background like Glue; poll getJobRun or await waitForJobRun.
    const done = (async () => {
      let error: string | undefined;
      try {
        await job(args, { jobName, jobRunId: runId });
      } catch (err) {
        error = errorMessage(err) || String(err);
      }
      await this.lake.write((d) =>
        d.run(
          'UPDATE glue_job_runs SET state = $1, error_message = $2, completed_ms = $3 WHERE run_id = $4',
          [error === undefined ? 'SUCCEEDED' : 'FAILED', error ?? null, Date.now(), runId],
        ),
      );
    })();
    this.running.set(runId, done);
    void done.finally(() => this.running.delete(runId));
    return { $metadata: {}, JobRunId: runId };
  }

  async getJobRun(input: glue.GetJobRunCommandInput): Promise<glue.GetJobRunCommandOutput> {
    const jobName = parse(nameSchema, input.JobName);
    const runId = parse(nameSchema, input.RunId);
    // Local Wait states take no time, so a bounded poll loop could run out before a busy machine
    // finishes the job: after the first poll, each poll gives the run a moment to finish (which
    // also spaces out a never-ending job's loop).
    const polls = (this.polls.get(runId) ?? 0) + 1;
    this.polls.set(runId, polls);
    const run = this.running.get(runId);
    if (polls > 1 && run)
      await Promise.race([run, new Promise((r) => setTimeout(r, this.pollGraceMs).unref())]);
    const rows = await this.lake.read((d) =>
      d.all('SELECT * FROM glue_job_runs WHERE job_name = $1 AND run_id = $2', [jobName, runId]),
    );
    if (!rows.length)
      throw awsError<typeof glue>('EntityNotFoundException', `Job run ${runId} not found for job ${jobName}`);
    return { $metadata: {}, JobRun: toJobRun(rowToJobRun(rows[0]!)) };
  }

  /** Local-only: resolves when the run has reached a terminal state (the `.sync` integration). */
  async waitForJobRun(jobName: string, runId: string): Promise<glue.JobRun> {
    await this.running.get(runId);
    const { JobRun } = await this.getJobRun({ JobName: jobName, RunId: runId });
    return JobRun!;
  }

  /** True when nothing started by this process is still running. */
  isIdle(): boolean {
    return this.running.size === 0;
  }

  /** Local-only: waits for every job run started by this process. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  private async findDatabase(d: Db, name: string): Promise<glue.Database | undefined> {
    const rows = await d.all('SELECT * FROM glue_databases WHERE name = $1', [name]);
    if (!rows.length) return undefined;
    const r = rows[0]!;
    return {
      ...json<glue.DatabaseInput>(r.input, { Name: name }),
      Name: name,
      CreateTime: new Date(num(r.create_ms)),
      CatalogId: LOCAL_ACCOUNT,
    };
  }

  private async requireDatabase(d: Db, name: string): Promise<void> {
    if (!(await this.findDatabase(d, name)))
      throw awsError<typeof glue>('EntityNotFoundException', `Database ${name} not found.`);
  }

  private async findTable(d: Db, database: string, name: string): Promise<glue.Table | undefined> {
    const rows = await d.all('SELECT * FROM glue_tables WHERE database = $1 AND name = $2', [database, name]);
    return rows.length ? this.toTable(rows[0]!) : undefined;
  }

  private toTable(r: Row): glue.Table {
    const input = json<glue.TableInput>(r.input, { Name: str(r.name) });
    return {
      ...input,
      Name: str(r.name),
      DatabaseName: str(r.database),
      CreateTime: new Date(num(r.create_ms)),
      UpdateTime: new Date(num(r.update_ms)),
      VersionId: String(num(r.version)),
      CatalogId: LOCAL_ACCOUNT,
      IsRegisteredWithLakeFormation: false,
    };
  }
}
