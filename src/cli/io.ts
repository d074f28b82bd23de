import { isAbsolute, resolve } from 'node:path';

/** Where the CLI writes: the process's stream, or a buffer of an in-process run. */
export interface CliOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * What one CLI run reads and writes instead of the process's globals, so a test can run commands one
 * after another in one process as a user runs them in separate processes.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Asked for only to confirm a widening change at a terminal (src/cli/plan.ts): opening stdin costs. */
  stdin(): NodeJS.ReadableStream & { isTTY?: boolean };
  /** The folder relative paths (--lake, --governance, file arguments, ./governance.yml) are in. */
  cwd: string;
  /** autogov's own variables (AUTOGOV_LAKE) and, for --stage, the AWS SDK's (AWS_REGION, AWS_ENDPOINT_URL, …). */
  env: NodeJS.ProcessEnv;
}

/** One run: its io, and the exit code a command sets while still finishing (e.g. `dq lint` of a bad ruleset). */
export interface CliRun extends CliIo {
  exitCode: number;
  /** `text` and a newline on stdout (what console.log did). */
  out(text: string): void;
  /** `text` and a newline on stderr. */
  err(text: string): void;
}

export function cliRun(io: CliIo): CliRun {
  return {
    ...io,
    exitCode: 0,
    out: (text) => io.stdout.write(`${text}\n`),
    err: (text) => io.stderr.write(`${text}\n`),
  };
}

/** The process's own streams, folder and environment: the `autogov` command. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * A path the user gave, relative to the run's folder. Unchanged when that folder is the process's own
 * (Node resolves it the same), so messages name the file as the user spelled it.
 */
export function userPath(io: CliIo, path: string): string {
  return isAbsolute(path) || resolve(io.cwd) === process.cwd() ? path : resolve(io.cwd, path);
}
