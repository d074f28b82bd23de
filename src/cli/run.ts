import '../polyfills';
import { CommanderError } from 'commander';
import { errorMessage, UserError } from '../errors';
import { type CliIo, cliRun } from './io';
import { createProgram } from './program';

/**
 * Runs `autogov ARGS` (`argv` without node and the script) on `io` to completion and returns its exit
 * code: 0 ok, 1 governance or a check failed, 2 bad input or usage. A failure is one line on stderr
 * (the stack only with --debug), never a throw.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = cliRun(io);
  try {
    await createProgram(cli).parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (err) {
    // commander has printed the message (and help); --help and --version end here with 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (argv.includes('--debug') && err instanceof Error) cli.err(err.stack ?? err.message);
    else cli.err(`autogov: ${errorMessage(err).split('\n')[0]}`);
    return err instanceof UserError ? err.exitCode : 1;
  }
}
