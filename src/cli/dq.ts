import { isAbsolute } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors';
import { lazy } from '../lazy';
import { readTextFile } from '../user-file';
import { commonOptions, printJson } from './common';
import { type CliIo, type CliRun, userPath } from './io';
import { renderRows } from './render';

// Loaded by the dq commands only: every other command (and --help) registers these without running them.
const dqdlLint = lazy(() => require('../dqdl/lint') as typeof import('../dqdl/lint'));
const tinyglobby = lazy(() => require('tinyglobby') as typeof import('tinyglobby'));

export function registerDqCommands(program: Command, cli: CliRun): void {
  const dq = program
    .command('dq')
    .description('develop DQDL rulesets locally: lint and check them against data');

  dq.command('lint')
    .description(
      'parse DQDL rulesets; print problems with line:column, or (one file) the canonical rules; several files or globs give one line per file and a summary',
    )
    .argument('<files...>', 'DQDL ruleset files or globs, e.g. "dqdl/**/*.dqdl"')
    .action((patterns: string[], _opts, cmd: Command) => {
      const { json } = commonOptions(cmd, cli);
      const files = expandFiles(cli, patterns, 'ruleset file');
      const { formatLintProblems, lintDqdl } = dqdlLint();
      const results = files.map((file) => ({
        file,
        ...lintDqdl(readTextFile(userPath(cli, file), 'ruleset file')),
      }));
      if (json) printJson(cli, results.length === 1 ? results[0] : results);
      else if (results.length === 1) {
        const [result] = results as [(typeof results)[0]];
        for (const line of formatLintProblems(result, result.file)) cli.err(line);
        if (result.valid) for (const r of [...result.rules, ...result.analyzers]) cli.out(r);
      } else {
        for (const r of results) {
          for (const line of formatLintProblems(r, r.file)) cli.err(line);
          cli.out(
            r.valid
              ? `${r.file}: ok (${r.rules.length} rules${r.warnings.length ? `, ${r.warnings.length} warnings` : ''})`
              : `${r.file}: invalid (${r.errors.length} errors)`,
          );
        }
        const invalid = results.filter((r) => !r.valid).length;
        cli.out(`${results.length} rulesets: ${results.length - invalid} valid, ${invalid} invalid`);
      }
      if (results.some((r) => !r.valid)) cli.exitCode = 1;
    });

  dq.command('check')
    .description(
      'evaluate rulesets on local data: score, per-rule outcome and metrics (exit 0 whatever the score, unless --fail-under); several rulesets give one line each and a summary',
    )
    .argument('<rulesets-then-data...>', 'DQDL ruleset files or globs, then the data')
    .addHelpText(
      'after',
      '\nThe last argument is the data: a .csv or .tsv (with header), .json/.jsonl (JSON lines or a JSON array) or .parquet file, or a folder of them.',
    )
    .option(
      '--ref <alias=data...>',
      'a reference dataset for ReferentialIntegrity, DatasetMatch, CustomSql …',
      collect,
      [],
    )
    .option(
      '--row-level-composites',
      'evaluate composite rules row by row (Glue compositeRuleEvaluation.method=ROW)',
    )
    .option(
      '--fail-under <percent>',
      'exit 1 when a score is below this percentage (0–100), e.g. 90: a CI gate',
    )
    .action(
      async (
        args: string[],
        o: { ref: string[]; rowLevelComposites?: boolean; failUnder?: string },
        cmd: Command,
      ) => {
        const { json } = commonOptions(cmd, cli);
        const gate = failUnder(o.failUnder);
        const data = args.at(-1);
        if (args.length < 2 || data === undefined)
          throw new UserError(
            'dq check: give a ruleset file and the data, e.g. dq check rules.dqdl data.csv',
          );
        const files = expandFiles(cli, args.slice(0, -1), 'ruleset file');
        const refs: Record<string, string> = {};
        for (const r of o.ref) {
          const at = r.indexOf('=');
          if (at <= 0) throw new UserError(`--ref ${r}: expected ALIAS=PATH, e.g. --ref reference=base.csv`);
          refs[r.slice(0, at)] = userPath(cli, r.slice(at + 1));
        }
        // DuckDB is loaded only by the command that evaluates.
        const { checkDqdl } = require('../dqdl/check') as typeof import('../dqdl/check');
        const check = (file: string) =>
          checkDqdl(readTextFile(userPath(cli, file), 'ruleset file'), userPath(cli, data), refs, {
            rulesetLabel: file,
            compositeRuleEvaluation: o.rowLevelComposites ? 'ROW' : 'COLUMN',
          });
        if (files.length === 1) {
          const result = await check(files[0] as string);
          printCheck(cli, result, json);
          return gate([{ file: files[0] as string, result }]);
        }
        // Several rulesets in one process: a ruleset that cannot run is reported and the rest still run.
        const lines: { file: string; result?: DqCheckResult; error?: string }[] = [];
        for (const file of files) {
          try {
            lines.push({ file, result: await check(file) });
          } catch (err) {
            if (!(err instanceof UserError)) throw err;
            lines.push({ file, error: err.message.split('\n')[0] });
            cli.exitCode = Math.max(cli.exitCode, err.exitCode);
          }
        }
        if (json) {
          printJson(cli, lines);
          return gate(lines);
        }
        for (const { file, result, error } of lines) {
          if (!result) cli.out(`${file}: error: ${error}`);
          else {
            const passed = result.rules.filter((r) => r.outcome === 'PASS').length;
            cli.out(
              `${file}: score ${formatScore(result.score)} (${passed}/${result.rules.length} rules passed)`,
            );
          }
        }
        const failed = lines.filter((l) => l.error).length;
        cli.out(`${lines.length} rulesets: ${lines.length - failed} evaluated, ${failed} could not run`);
        gate(lines);
      },
    );
}

/**
 * `--fail-under P`: after the output, exit 1 with one line naming the first ruleset scoring below P %.
 * A ruleset without rules (score n/a) does not pass the gate: nothing was checked.
 */
function failUnder(value: string | undefined): (lines: { file: string; result?: DqCheckResult }[]) => void {
  if (value === undefined) return () => {};
  const percent = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent < 0 || percent > 100)
    throw new UserError(`--fail-under ${value}: expected a percentage from 0 to 100, e.g. --fail-under 90`);
  return (lines) => {
    const below = lines.find((l) => l.result && (l.result.score === null || l.result.score * 100 < percent));
    if (below)
      throw new UserError(
        `${below.file}: score ${formatScore(below.result!.score)} is below --fail-under ${percent}%`,
        1,
      );
  };
}

type DqCheckResult = Awaited<ReturnType<typeof import('../dqdl/check').checkDqdl>>;

function formatScore(score: number | null): string {
  return score === null ? 'n/a (no rules)' : `${(score * 100).toFixed(1)}%`;
}

function printCheck(cli: CliRun, result: DqCheckResult, json: boolean): void {
  if (json) {
    printJson(cli, result);
    return;
  }
  cli.out(
    renderRows(
      ['rule', 'outcome', 'message'],
      result.rules.map((r) => ({ rule: r.rule, outcome: r.outcome, message: r.message ?? '' })),
    ),
  );
  for (const a of result.analyzers) cli.out(`${a.analyzer}: ${JSON.stringify(a.metrics)}`);
  cli.out(`score: ${formatScore(result.score)}`);
}

/** Files and globs (quoted, so the shell left them) → the matching files, in order, each once. */
function expandFiles(io: CliIo, patterns: string[], what: string): string[] {
  const files: string[] = [];
  for (const p of patterns) {
    const { globSync, isDynamicPattern } = tinyglobby();
    const matches = isDynamicPattern(p)
      ? globSync(p, { cwd: io.cwd, onlyFiles: true, absolute: isAbsolute(p) }).sort()
      : [p];
    if (!matches.length) throw new UserError(`${p}: no ${what} matches`);
    for (const m of matches) if (!files.includes(m)) files.push(m);
  }
  return files;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
