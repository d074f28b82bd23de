import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { LocalLake } from '../app/local-lake';
import type { Change, TablePlan } from '../app/plan';
import { UserError } from '../errors';
import type { AccessChange, TagChange } from '../policy/impact';
import { type CommonOptions, commonOptions, parseTableName, printJson } from './common';
import { type CliRun, userPath } from './io';
import { withLake } from './lake-commands';
import { refuseMissingLake } from './read-lake';
import { renderRows } from './render';
import { onStage } from './stage';

const plans = () => require('../app/plan') as typeof import('../app/plan');

function describeAccess(c: AccessChange): string {
  if (c.table === 'lost') return 'loses the table';
  const gained = c.columnsGained.length ? `gains ${c.columnsGained.join(', ')}` : '';
  if (c.table === 'gained') return `gains the table (${c.columnsGained.join(', ')})`;
  const lost = c.columnsLost.length ? `loses ${c.columnsLost.join(', ')}` : '';
  return [gained, lost].filter(Boolean).join('; ') || 'no change';
}

const tagRow = (c: TagChange) => ({
  resource: c.column ?? '(table)',
  key: c.key,
  change: `${c.from ?? '(none)'} → ${c.to}`,
});

export function renderPlan(tablePlans: TablePlan[]): string {
  const out: string[] = [];
  for (const p of tablePlans) {
    const score = p.score === null ? 'no rules' : `${Math.round(p.score * 1000) / 10} %`;
    out.push(`${p.database}.${p.table}: score ${score} → ${p.dqTag ?? 'no quality tag'}`);
    out.push(
      p.tagChanges.length
        ? renderRows(['resource', 'key', 'change'], p.tagChanges.map(tagRow))
        : '  no tag changes',
    );
    out.push(
      renderRows(
        ['persona', 'access'],
        Object.entries(p.access).map(([persona, c]) => ({ persona, access: describeAccess(c) })),
      ),
    );
  }
  out.push('Plan only: nothing was applied.');
  return out.join('\n');
}

/**
 * As Terraform asks before destroying: a change that lets some persona see more is applied only
 * after `--yes`, or a typed "yes" at a terminal. Non-interactive runs without --yes are refused.
 */
export async function confirmWidening(
  io: CliRun,
  lake: LocalLake,
  change: Change,
  yes: boolean | undefined,
): Promise<void> {
  if (yes) return;
  const tablePlans = await plans().planChange(lake, change);
  const widening = tablePlans.filter((p) => p.widens);
  if (widening.length === 0) return;
  const what = widening
    .flatMap((p) =>
      Object.entries(p.access)
        .filter(([, c]) => c.table === 'gained' || c.columnsGained.length)
        .map(([persona, c]) => `${persona} ${describeAccess(c)} of ${p.database}.${p.table}`),
    )
    .join('; ');
  const stdin = io.stdin();
  if (!stdin.isTTY || !io.stdout.isTTY)
    throw new UserError(`this change widens access (${what}); review it with --plan and rerun with --yes`);
  io.out(renderPlan(widening).replace(/\nPlan only: nothing was applied\.$/, ''));
  // No readline output: the question goes to the run's stdout, the terminal echoes the answer.
  io.stdout.write('This change widens access. Apply it? Only "yes" is accepted: ');
  const rl = createInterface({ input: stdin });
  const answer = await rl.question('');
  rl.close();
  if (answer.trim() !== 'yes') throw new UserError('not applied: the change was not confirmed', 1);
}

function changeOf(
  file: string | undefined,
  o: {
    table?: string;
    name?: string;
    remove?: string;
    declassify?: string;
    reason?: string;
    allowNewColumns?: boolean;
  },
): Change {
  if (o.declassify) {
    const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\.(.+)$/.exec(o.declassify);
    if (!m) throw new UserError(`--declassify ${o.declassify}: expected DATABASE.TABLE.COLUMN`);
    const { database, table } = parseTableName(`${m[1]}.${m[2]}`);
    return { kind: 'declassify', database, table, column: m[3]!, reason: o.reason ?? '(plan)' };
  }
  if (!file && !o.remove) {
    if (o.table) throw new UserError('--table: name the file to ingest, or --remove NAME');
    return { kind: 'regovern' };
  }
  if (!o.table) throw new UserError('--table DB.TABLE: which table the file belongs to');
  const { database, table } = parseTableName(o.table);
  if (o.remove) return { kind: 'remove', database, table, name: o.remove };
  return { kind: 'ingest', file: file!, database, table, name: o.name, allowNewColumns: o.allowNewColumns };
}

/** Prints the plan of `change` on an existing lake; applies nothing. */
export async function printPlan(opts: CommonOptions, change: Change): Promise<void> {
  const tablePlans = opts.stage
    ? await onStage({ ...opts, stage: opts.stage }, (stage) => plans().planChange(stage, change))
    : await planOnLake(opts, change);
  if (opts.json) printJson(opts.io, { plan: tablePlans, applied: false });
  else opts.io.out(renderPlan(tablePlans));
  // Said, not hidden: a stage's runs evaluate with Glue, the plan with autogov's own engines.
  if (opts.stage && change.kind !== 'declassify' && !opts.json)
    opts.io.out(
      `Evaluated here with autogov's DQDL engine and PII classifier on stage ${opts.stage.stage}'s files (downloaded, then deleted); its own runs use Glue Data Quality and Glue's sensitive-data detection.`,
    );
}

function planOnLake(opts: CommonOptions, change: Change): Promise<TablePlan[]> {
  refuseMissingLake(opts);
  return withLake(opts, (lake) => plans().planChange(lake, change), { readOnly: true });
}

export function registerPlanCommand(program: Command, cli: CliRun): void {
  program
    .command('plan')
    .description(
      'what a change would do, applying nothing: the LF-Tag changes and, per persona, tables and columns gained and lost — for a file to ingest or remove, a declassification, or (no arguments) an edited governance.yml or ruleset',
    )
    .argument('[file]', 'a table file about to be ingested (with --table)')
    .option('--table <db.table>', 'the table the file belongs to')
    .option('--name <name>', 'object name under the table (default: the file name; the same name replaces)')
    .option('--allow-new-columns', "with a file: plan it even if its columns differ from the table's")
    .option('--remove <name>', 'plan removing this file from --table instead')
    .option('--declassify <db.table.column>', 'plan declassifying this column instead')
    .option('--reason <text>', 'with --declassify: the reason that would be recorded')
    .option(
      '--edited <governance.yml>',
      'plan switching to this edited governance.yml (rulesets, bands, personas) from the one in use',
    )
    .action(
      async (
        file: string | undefined,
        o: Parameters<typeof changeOf>[1] & { edited?: string },
        cmd: Command,
      ) => {
        const opts = commonOptions(cmd, cli);
        if (!o.edited) return printPlan(opts, changeOf(file && userPath(cli, file), o));
        if (file || o.table || o.remove || o.declassify)
          throw new UserError('--edited: plans every table under the edited governance.yml; give it alone');
        const { loadGovernance } = require('../config/load') as typeof import('../config/load');
        const previousPersonas = loadGovernance(opts.governance).config.personas;
        await printPlan(
          { ...opts, governance: resolve(cli.cwd, o.edited) },
          { kind: 'regovern', previousPersonas },
        );
      },
    );
}
