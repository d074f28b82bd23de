import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { LakeReader, TableStatus } from '../app/lake-reader';
import type { ExecutionSummary, LocalLake } from '../app/local-lake';
import { UserError } from '../errors';
import type { RawAccess } from '../ingest/access';
import { notDetectableLocally } from '../pii/types';
import type { Access } from '../policy/access';
import {
  type CommonOptions,
  commonOptions,
  notCheckedLine,
  noteGovernance,
  parseTableName,
  printJson,
} from './common';
import { documents, ingestDocumentCommand, isRawObject, printRawAccess } from './document-commands';
import { type CliRun, userPath } from './io';
import { confirmWidening, printPlan } from './plan';
import { progressReporter } from './progress';
import { readLake } from './read-lake';
import { renderAccess, renderQuality, renderRows, renderTags } from './render';
import { onStage } from './stage';

/** Opens (or creates) the lake for a command that writes, and always closes it (waiting for in-flight work). */
export async function withLake<T>(
  opts: CommonOptions,
  fn: (lake: LocalLake) => Promise<T>,
  lakeOptions: { readOnly?: boolean; rebuildCatalog?: boolean } = {},
): Promise<T> {
  noteGovernance(opts);
  const progress = progressReporter(opts);
  // Loaded here, not at startup: the lake pulls in DuckDB, the AWS SDK and the Step Functions runtime.
  const { LocalLake } = require('../app/local-lake') as typeof import('../app/local-lake');
  const lake = await LocalLake.open({
    lake: opts.lake,
    governance: opts.governance,
    onProgress: progress.onProgress,
    ...lakeOptions,
  });
  try {
    const result = await fn(lake);
    // Runs of this command governed tables with these types unchecked: say so (on stderr, a note).
    const unchecked = notDetectableLocally(lake.governance.config.sensitiveData.entityTypes);
    if (unchecked.length && !lakeOptions.readOnly) opts.io.err(`autogov: ${notCheckedLine(unchecked)}`);
    return result;
  } finally {
    await lake.close();
    progress.done();
  }
}

/** A governance run that failed is the command's failure: one line, non-zero exit. */
function reportExecutions(opts: CommonOptions, runs: ExecutionSummary[]): void {
  if (opts.json) printJson(opts.io, { executions: runs });
  else
    for (const r of runs)
      opts.io.out(r.status === 'SUCCEEDED' ? `governed: ${r.name}` : `${r.status.toLowerCase()}: ${r.name}`);
  const failed = runs.find((r) => r.status !== 'SUCCEEDED');
  if (failed) throw new UserError(failed.error ?? `${failed.name} ${failed.status}`, 1);
}

/** Not DB.TABLE, or DB.TABLE-shaped (`notes.txt`) while naming a raw object and no table. */
async function isRawObjectArgument(lake: LakeReader, arg: string): Promise<boolean> {
  const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(arg);
  if (!m) return true;
  if (!(await isRawObject(lake, arg))) return false;
  return lake.tableColumns(m[1]!, m[2]!).then(
    () => false,
    () => true,
  );
}

export type AccessAnswer =
  | { kind: 'raw'; access: RawAccess[] }
  | { kind: 'table'; access: Record<string, Access>; columns: string[] };

/** `access ARG`: a table's or a raw object's access, told apart and answered on one open lake. */
export async function accessAnswer(lake: LakeReader, arg: string, persona?: string): Promise<AccessAnswer> {
  if (await isRawObjectArgument(lake, arg))
    return {
      kind: 'raw',
      access: await documents().rawAccess(lake, arg, persona),
    };
  const { database, table } = parseTableName(arg);
  // `notes.txt` is DB.TABLE-shaped: when it is neither, say so rather than suggest ingesting into it.
  // access() checks the persona first, so an unknown persona is still the error named.
  const access = await lake.access(database, table, persona).catch((err: unknown) => {
    if (err instanceof UserError && / no such table;/.test(err.message))
      throw new UserError(
        `${arg}: no table ${database}.${table} and no raw object with that key; see \`autogov tables\` and \`autogov documents\``,
      );
    throw err;
  });
  return { kind: 'table', access, columns: await lake.tableColumns(database, table) };
}

export function registerLakeCommands(program: Command, cli: CliRun): void {
  program
    .command('demo')
    .description(
      "reproduce the seed scenario's three use cases in a fresh lake: tags and persona access after each",
    )
    .action(async (_o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      noteGovernance(opts);
      const explicitLake = cmd.optsWithGlobals<{ lake?: string }>().lake;
      const progress = progressReporter(opts);
      const started = Date.now();
      const { runDemo } = require('../app/demo') as typeof import('../app/demo');
      const result = await runDemo({
        lake: explicitLake ? opts.lake : undefined,
        governance: opts.governance,
        onProgress: progress.onProgress,
        onUseCase: (u) => {
          progress.done();
          if (opts.json) return;
          opts.io.out(`\nUse case ${u.name}`);
          opts.io.out(renderTags('customer', u.tags));
          opts.io.out(renderQuality(u.quality));
          opts.io.out(renderAccess(u.access, u.columns));
        },
      });
      progress.done();
      if (opts.json)
        printJson(opts.io, {
          useCases: result.useCases.map(({ name, tags, access, quality }) => ({
            name,
            tags,
            access,
            quality,
          })),
        });
      else
        opts.io.out(
          `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Explore it: npx autogov --lake ${result.lake} access ${'oktank_autogov_temp.customer'}`,
        );
    });

  program
    .command('ingest')
    .description(
      'drop a file into the raw bucket and run governance: table data with --table, else any file through ingest-object',
    )
    .argument(
      '<file>',
      'with --table: .csv or .tsv (with header), .json/.jsonl (JSON lines, or a JSON array: staged as JSON lines) or .parquet; else a document, image, audio or text file',
    )
    .option('--table <db.table>', 'the table the file belongs to (table data)')
    .option('--name <name>', 'object name under the table (default: the file name; the same name replaces)')
    .option('--key <key>', 'without --table: the raw object key (default: the file name)')
    .option('--plan', 'with --table: show what ingesting it would change, and apply nothing')
    .option('--yes', "apply even when the change widens some persona's access")
    .option(
      '--allow-new-columns',
      "with --table: accept a file whose columns differ from the table's (new ones join it)",
    )
    .action(
      async (
        fileArg: string,
        o: {
          table?: string;
          name?: string;
          key?: string;
          plan?: boolean;
          yes?: boolean;
          allowNewColumns?: boolean;
        },
        cmd: Command,
      ) => {
        const opts = commonOptions(cmd, cli);
        const file = userPath(cli, fileArg);
        if (!o.table) return ingestDocumentCommand(withLake, opts, file, o.key ?? o.name);
        const { database, table } = parseTableName(o.table);
        const { allowNewColumns } = o;
        const change = { kind: 'ingest', file, database, table, name: o.name, allowNewColumns } as const;
        if (o.plan) return printPlan(opts, change);
        const runs = await withLake(opts, async (lake) => {
          await confirmWidening(opts.io, lake, change, o.yes);
          const { isJsonArrayFile } = require('../data/json-array') as typeof import('../data/json-array');
          if (await isJsonArrayFile(file))
            opts.io.err(
              `autogov: ${file}: a JSON array; staged as JSON lines, one object per line (the only JSON Athena reads)`,
            );
          return lake.ingestTableFile(file, database, table, o.name, { allowNewColumns });
        });
        reportExecutions(opts, runs);
      },
    );

  program
    .command('remove')
    .description('delete a staged file of a table and re-govern it (served until that run succeeds)')
    .argument('<table>', 'DB.TABLE')
    .argument('<name>', 'object name under the table')
    .option('--plan', 'show what removing it would change, and apply nothing')
    .option('--yes', "apply even when the change widens some persona's access")
    .action(async (t: string, name: string, o: { plan?: boolean; yes?: boolean }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const { database, table } = parseTableName(t);
      const change = { kind: 'remove', database, table, name } as const;
      if (o.plan) return printPlan(opts, change);
      const runs = await withLake(opts, async (lake) => {
        await confirmWidening(opts.io, lake, change, o.yes);
        return lake.removeTableFile(database, table, name);
      });
      reportExecutions(opts, runs);
    });

  program
    .command('catalog')
    .description('the local catalog (catalog.duckdb)')
    .command('rebuild')
    .description(
      'a new catalog for a lake whose catalog.duckdb was lost: stored objects adopted, every staged table re-governed from its files and records',
    )
    .action(async (_o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      if (!existsSync(opts.lake)) throw new UserError(`${opts.lake}: no such lake folder`);
      reportExecutions(
        opts,
        await withLake(opts, (lake) => lake.regovernStagedTables(), { rebuildCatalog: true }),
      );
    });

  program
    .command('start')
    .description(
      'start a state machine execution, as from the Step Functions console (locally it runs to completion; on --stage it is started and runs on)',
    )
    .argument('<machine>', 'state machine, e.g. govern-table')
    .requiredOption('--input <json>', 'execution input, e.g. {"database":"db","table":"t"}')
    .option('--name <name>', 'execution name (a repeated name with the same input starts nothing new)')
    .action(async (machine: string, o: { input: string; name?: string }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      let input: unknown;
      try {
        input = JSON.parse(o.input);
      } catch {
        throw new UserError(`--input: not valid JSON; pass e.g. '{"database":"db","table":"t"}'`);
      }
      if (opts.stage) {
        const started = await onStage({ ...opts, stage: opts.stage }, (s) => s.start(machine, input, o.name));
        if (opts.json) printJson(opts.io, started);
        else
          opts.io.out(
            `started: ${started.name} (${started.executionArn}); it runs on in the stage: follow it in the Step Functions console, then \`autogov tables --stage ${opts.stage.stage}\``,
          );
        return;
      }
      const run = await withLake(opts, (lake) => lake.start(machine, input, o.name));
      if (run.status !== 'SUCCEEDED') reportExecutions(opts, [run]);
      else if (opts.json) printJson(opts.io, run);
      else opts.io.out(JSON.stringify(run.output, null, 2));
    });

  /** Whether personas read what was uploaded: staged files wait for a successful run. */
  const servedStatus = (t: TableStatus): string =>
    [
      t.uncertified ? `${t.uncertified} staged file change(s) not certified, not served` : 'certified',
      t.failure && `last run failed ${t.failure.at}: ${t.failure.message}`,
    ]
      .filter(Boolean)
      .join('; ');

  program
    .command('tables')
    .description('every governed table: its LF-Tags, latest quality score and sensitive columns')
    .action(async (_o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const tables = await readLake(opts, (lake) => lake.tables());
      if (opts.json) printJson(opts.io, tables);
      else
        opts.io.out(
          renderRows(
            ['table', 'tags', 'score', 'sensitive columns', 'served'],
            tables.map((t) => ({
              table: `${t.database}.${t.table}`,
              tags: Object.entries(t.tags)
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
              score: t.score === null ? 'n/a' : `${(t.score * 100).toFixed(1)}%`,
              'sensitive columns': t.sensitiveColumns.join(', '),
              served: servedStatus(t),
            })),
          ),
        );
    });

  program
    .command('tags')
    .description('LF-Tags of a table and its columns')
    .argument('<table>', 'DB.TABLE')
    .action(async (t: string, _o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const { database, table } = parseTableName(t);
      const tags = await readLake(opts, (lake) => lake.tags(database, table));
      if (opts.json) printJson(opts.io, tags);
      else opts.io.out(renderTags(t, tags));
    });

  program
    .command('access')
    .description(
      "what each persona (or one, with --as) can query of a table under its LF-Tag grants; for a raw object key, whether the persona's access point serves it",
    )
    .argument('<table>', 'DB.TABLE, or the key of a raw object')
    .option('--as <persona>', 'only this persona')
    .action(async (t: string, o: { as?: string }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const answer = await readLake(opts, (lake) => accessAnswer(lake, t, o.as));
      if (answer.kind === 'raw') printRawAccess(opts, t, o.as, answer.access);
      else if (opts.json) printJson(opts.io, answer.access);
      else opts.io.out(renderAccess(answer.access, answer.columns));
    });

  program
    .command('query')
    .description(
      'run SQL as a persona: only the tables and columns its grants allow, as Athena under Lake Formation',
    )
    .requiredOption('--as <persona>', 'persona from governance.yml')
    .argument('<sql>', 'SQL; tables are DATABASE.TABLE')
    .action(async (sql: string, o: { as: string }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const result = await readLake(opts, (lake) => lake.query(o.as, sql));
      if (opts.json) printJson(opts.io, result);
      else opts.io.out(renderRows(result.columns, result.rows));
    });

  program
    .command('declassify')
    .description('record a reasoned override that makes a sensitive column public, and re-govern')
    .argument('<column>', 'DB.TABLE.COLUMN')
    .requiredOption('--reason <text>', 'why the column is not sensitive (recorded)')
    .option('--plan', 'show what declassifying it would change, and apply nothing')
    .option('--yes', 'apply without confirming (a declassification always widens access)')
    .action(async (arg: string, o: { reason: string; plan?: boolean; yes?: boolean }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\.(.+)$/.exec(arg);
      if (!m) throw new UserError(`${arg}: expected DATABASE.TABLE.COLUMN`);
      if (!o.reason.trim()) throw new UserError('--reason: give the reason the column is not sensitive');
      const change = {
        kind: 'declassify',
        database: m[1]!,
        table: m[2]!,
        column: m[3]!,
        reason: o.reason,
      } as const;
      if (o.plan) return printPlan(opts, change);
      const run = await withLake(opts, async (lake) => {
        await confirmWidening(opts.io, lake, change, o.yes);
        return lake.declassify(m[1]!, m[2]!, m[3]!, o.reason);
      });
      reportExecutions(opts, [run]);
    });
}
