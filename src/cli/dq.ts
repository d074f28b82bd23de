import type { Command } from 'commander';
import { formatLintProblems, lintDqdl } from '../dqdl/lint';
import { UserError } from '../errors';
import { commonOptions, printJson, readTextFile } from './common';
import { renderRows } from './render';

export function registerDqCommands(program: Command): void {
  const dq = program
    .command('dq')
    .description('develop DQDL rulesets locally: lint and check them against data');

  dq.command('lint')
    .description('parse a DQDL ruleset; print problems with line:column, or the canonical rules')
    .argument('<file>', 'DQDL ruleset file')
    .action((file: string, _opts, cmd: Command) => {
      const { json } = commonOptions(cmd);
      const result = lintDqdl(readTextFile(file, 'ruleset file'));
      if (json) printJson(result);
      else {
        for (const line of formatLintProblems(result, file)) console.error(line);
        if (result.valid) for (const r of [...result.rules, ...result.analyzers]) console.log(r);
      }
      if (!result.valid) process.exitCode = 1;
    });

  dq.command('check')
    .description(
      'evaluate a ruleset on local data: score, per-rule outcome and metrics (exit 0 whatever the score)',
    )
    .argument('<file>', 'DQDL ruleset file')
    .argument('<data>', 'a .csv (with header), .json/.jsonl or .parquet file, or a folder of them')
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
    .action(
      async (
        file: string,
        data: string,
        o: { ref: string[]; rowLevelComposites?: boolean },
        cmd: Command,
      ) => {
        const { json } = commonOptions(cmd);
        const refs: Record<string, string> = {};
        for (const r of o.ref) {
          const at = r.indexOf('=');
          if (at <= 0) throw new UserError(`--ref ${r}: expected ALIAS=PATH, e.g. --ref reference=base.csv`);
          refs[r.slice(0, at)] = r.slice(at + 1);
        }
        // DuckDB is loaded only by the command that evaluates.
        const { checkDqdl } = require('../dqdl/check') as typeof import('../dqdl/check');
        const result = await checkDqdl(readTextFile(file, 'ruleset file'), data, refs, {
          rulesetLabel: file,
          compositeRuleEvaluation: o.rowLevelComposites ? 'ROW' : 'COLUMN',
        });
        if (json) {
          printJson(result);
          return;
        }
        console.log(
          renderRows(
            ['rule', 'outcome', 'message'],
            result.rules.map((r) => ({ rule: r.rule, outcome: r.outcome, message: r.message ?? '' })),
          ),
        );
        for (const a of result.analyzers) console.log(`${a.analyzer}: ${JSON.stringify(a.metrics)}`);
        console.log(
          `score: ${result.score === null ? 'n/a (no rules)' : `${(result.score * 100).toFixed(1)}%`}`,
        );
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
