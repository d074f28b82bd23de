import type { Command } from 'commander';
import { UserError } from '../errors';
import type { ColumnExplanation, Explanation } from '../policy/explain';
import { commonOptions, notCheckedLine, parseTableName, printJson } from './common';
import type { CliRun } from './io';
import { readLake } from './read-lake';
import { renderRows } from './render';

const percent = (f: number) => `${Math.round(f * 1000) / 10} %`;
const tagText = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** DB.TABLE or DB.TABLE.COLUMN */
function parseTarget(arg: string): { database: string; table: string; column?: string } {
  const parts = arg.split('.');
  if (parts.length === 3) return { ...parseTableName(parts.slice(0, 2).join('.')), column: parts[2]! };
  return parseTableName(arg);
}

function renderColumn(name: string, c: ColumnExplanation, threshold: number): string {
  const lines = [`${name}  ${tagText(c.tags)}  — ${c.reason}`];
  for (const e of c.entities) {
    lines.push(
      `  ${e.entityType}: ${percent(e.fraction)} of sampled cells (threshold ${percent(threshold)})`,
    );
    const ev = e.evidence;
    if (!ev) continue;
    const stopped = ev.stoppedEarly ? `, verdict settled early (error ≤ ${ev.stoppedEarly.errorBound})` : '';
    lines.push(
      `    ${ev.matchedCells} of ${ev.sampledCells} cells matched${stopped}; detectors: ${ev.detectors.join(', ')}`,
    );
    if (ev.columnNameSignal) lines.push(`    column name signal: ${ev.columnNameSignal}`);
    if (ev.examples.length) lines.push(`    examples (redacted): ${ev.examples.join(' · ')}`);
  }
  if (c.override)
    lines.push(`  declassified by ${c.override.by ?? 'unknown'} at ${c.override.at}: ${c.override.reason}`);
  return lines.join('\n');
}

function renderExplanation(e: Explanation, column?: string): string {
  const q = e.quality;
  const lines = [
    `${e.database}.${e.table} — run ${e.runId} at ${e.evaluatedAt}`,
    `${tagText(e.tags)}`,
    `data quality: ${q.passed}/${q.total} rules passed (${q.score === null ? 'no rules' : percent(q.score)})`,
    ...q.rules.map((r) => `  ${r.outcome} ${r.rule}${r.message ? ` — ${r.message}` : ''}`),
  ];
  if (e.notCheckedLocally.length) lines.push(notCheckedLine(e.notCheckedLocally));
  const names = column ? [column] : Object.keys(e.columns);
  for (const n of names) lines.push(renderColumn(n, e.columns[n]!, e.thresholdFraction));
  return lines.join('\n');
}

export function registerExplainCommand(program: Command, cli: CliRun): void {
  program
    .command('explain')
    .description(
      'why a table (or one column) carries its LF-Tags: rule outcomes, PII detected, overrides, run',
    )
    .argument('<target>', 'DB.TABLE or DB.TABLE.COLUMN')
    .action(async (target: string, _o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const { database, table, column } = parseTarget(target);
      const explanation = await readLake(opts, (lake) => lake.explain(database, table));
      if (column && !explanation.columns[column])
        throw new UserError(
          `${database}.${table} has no column ${column}; its columns: ${Object.keys(explanation.columns).join(', ')}`,
        );
      if (opts.json)
        printJson(
          opts.io,
          column ? { ...explanation, columns: { [column]: explanation.columns[column] } } : explanation,
        );
      else opts.io.out(renderExplanation(explanation, column));
    });
}

export function registerHistoryCommand(program: Command, cli: CliRun): void {
  program
    .command('history')
    .description('score, quality band and sensitive columns of every evaluated run of a table, oldest first')
    .argument('<table>', 'DB.TABLE')
    .action(async (t: string, _o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const { database, table } = parseTableName(t);
      const runs = await readLake(opts, (lake) => lake.history(database, table));
      if (opts.json) printJson(opts.io, runs);
      else
        opts.io.out(
          renderRows(
            ['evaluated at', 'run', 'score', 'dq band', 'sensitive columns'],
            runs.map((r) => ({
              'evaluated at': r.evaluatedAt,
              run: r.runId,
              score: r.score === null ? 'n/a' : percent(r.score),
              'dq band': r.dqTag,
              'sensitive columns': r.sensitiveColumns.join(', '),
            })),
          ),
        );
    });
}
