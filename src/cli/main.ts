import '../polyfills';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { errorMessage, UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import { registerDocumentCommands } from './document-commands';
import { registerDqCommands } from './dq';
import { registerExplainCommand, registerHistoryCommand } from './explain';
import { registerInitCommand } from './init';
import { registerLakeCommands } from './lake-commands';
import { registerPlanCommand } from './plan';
import { registerReportCommand } from './report';

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
  .showHelpAfterError();

registerDqCommands(program);
registerLakeCommands(program);
registerExplainCommand(program);
registerHistoryCommand(program);
registerInitCommand(program);
registerPlanCommand(program);
registerReportCommand(program);
registerDocumentCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (process.argv.includes('--debug') && err instanceof Error) console.error(err.stack);
  else console.error(`autogov: ${errorMessage(err).split('\n')[0]}`);
  process.exitCode = err instanceof UserError ? err.exitCode : 1;
});
