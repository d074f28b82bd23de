import '../polyfills';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { errorMessage, UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import { registerDocumentCommands } from './document-commands';
import { registerDqCommands } from './dq';
import { registerExplainCommand, registerHistoryCommand } from './explain';
import { registerInitCommand } from './init';
import { registerLakeCommands } from './lake-commands';
import { registerPlanCommand } from './plan';
import { registerReportCommand } from './report';
import { registerStageOptions } from './stage';

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
  // Set before the commands are registered, so each inherits it.
  .exitOverride();

registerStageOptions(program);
registerDqCommands(program);
registerLakeCommands(program);
registerExplainCommand(program);
registerHistoryCommand(program);
registerInitCommand(program);
registerPlanCommand(program);
registerReportCommand(program);
registerDocumentCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander has printed the message (and help); --help and --version end here with 0.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
    return;
  }
  if (process.argv.includes('--debug') && err instanceof Error) console.error(err.stack);
  else console.error(`autogov: ${errorMessage(err).split('\n')[0]}`);
  process.exitCode = err instanceof UserError ? err.exitCode : 1;
});
