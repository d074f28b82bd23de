import type { Command } from 'commander';
import { formatLintProblems, lintDqdl } from '../dqdl/lint';
import { commonOptions, printJson, readTextFile } from './common';

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
}
