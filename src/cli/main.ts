import '../polyfills';
import { Command } from 'commander';
import { errorMessage, UserError } from '../errors';

const program = new Command('autogov')
  .description('Automated data governance for AWS data lakes — local embedded default')
  .option('--debug', 'print stack traces on errors')
  .showHelpAfterError();

program.parseAsync(process.argv).catch((err: unknown) => {
  const debug = program.opts<{ debug?: boolean }>().debug || process.argv.includes('--debug');
  if (debug && err instanceof Error) console.error(err.stack);
  else console.error(`autogov: ${errorMessage(err)}`);
  process.exitCode = err instanceof UserError ? err.exitCode : 1;
});
