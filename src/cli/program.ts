import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { PACKAGE_ROOT } from '../paths';
import { registerDocumentCommands } from './document-commands';
import { registerDqCommands } from './dq';
import { registerExplainCommand, registerHistoryCommand } from './explain';
import { registerInitCommand } from './init';
import type { CliRun } from './io';
import { registerLakeCommands } from './lake-commands';
import { registerPlanCommand } from './plan';
import { registerReportCommand } from './report';
import { registerStageOptions } from './stage';

/** The `autogov` program of one run: every command, writing to `cli` (a program parses once). */
export function createProgram(cli: CliRun): Command {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const program = new Command('autogov')
    .description('Automated data governance for AWS data lakes — local embedded default')
    .option('--lake <dir>', 'local lake root (default: $AUTOGOV_LAKE or .autogov)')
    .option('--governance <file>', 'governance.yml to use (default: ./governance.yml)')
    .option('--json', 'machine-readable output')
    .option('--debug', 'print stack traces on errors')
    .version(version)
    .showHelpAfterError()
    // Usage errors (unknown option, missing argument) are bad input: exit 2, as the exit-code table says.
    // Set before the commands are registered, so each inherits it, as it inherits the output.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.stdout.write(text),
      writeErr: (text) => cli.stderr.write(text),
      // commander's own default: the terminal's width, else 80.
      getOutHelpWidth: () => (cli.stdout.isTTY && cli.stdout.columns) || 80,
      getErrHelpWidth: () => (cli.stderr.isTTY && cli.stderr.columns) || 80,
    });

  registerStageOptions(program);
  registerDqCommands(program, cli);
  registerLakeCommands(program, cli);
  registerExplainCommand(program, cli);
  registerHistoryCommand(program, cli);
  registerInitCommand(program, cli);
  registerPlanCommand(program, cli);
  registerReportCommand(program, cli);
  registerDocumentCommands(program, cli);
  return program;
}
