import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { runCli } from '../../src/cli/run';
import { track } from './processes';

const run = promisify(execFile);
export const ROOT = join(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the real, compiled `autogov` CLI in a new process against `lake`, as a user would. */
export function autogov(lake: string, ...args: string[]): Promise<CliResult> {
  return autogovIn(ROOT, '--lake', lake, ...args);
}

/** The CLI run from `cwd`, as someone in their own folder runs it. */
export function autogovIn(cwd: string, ...args: string[]): Promise<CliResult> {
  return autogovWith({ cwd }, ...args);
}

/** The CLI run from `cwd` with its own environment (e.g. AWS_ENDPOINT_URL for a deployed stage). */
export async function autogovWith(options: RunOptions, ...args: string[]): Promise<CliResult> {
  try {
    const pending = run(process.execPath, [join(ROOT, 'bin/autogov.js'), ...args], options);
    track(pending.child);
    const { stdout, stderr } = await pending;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * The built CLI's runner, loaded by Node's own loader rather than jest's: jest gives each test file a
 * fresh module registry (and loads more slowly), where the CLI is meant to load once per process and run
 * command after command. So it loads once per jest worker, and each command (of any test file) runs on
 * what the ones before it left in the process: two commands in one process must behave as two processes.
 * (`Module._load` is what `require` calls; jest replaces every public way to Node's loader.)
 */
const builtRunner = (): typeof runCli => {
  const loader = process.getBuiltinModule('node:module') as unknown as {
    _load(request: string, parent: null, isMain: boolean): { runCli: typeof runCli };
  };
  return loader._load(join(ROOT, 'dist/src/cli/run.js'), null, false).runCli;
};

/** Timers, handles and child processes of this process, by kind (pending fs requests are transient). */
function liveResources(): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    if (!kind.startsWith('FSReq')) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  return kinds;
}

/**
 * The same compiled CLI (dist/, built by test/global-setup.js) run in this process: what bin/autogov.js
 * runs, on buffers instead of the process's streams, with no terminal (as the spawned CLI's pipes), so
 * a command costs its work and not a Node start-up, module loading and lexicons. For every test that is
 * not about the process itself; those (exit status, no stack trace, --debug, locks, signals, leaked
 * processes, `npx`, an installed package, the AWS SDK reading AWS_* variables) spawn with `autogov`.
 * A command that leaves a timer, handle or child process running fails, as a process would not exit.
 */
export function autogovInProcess(lake: string, ...args: string[]): Promise<CliResult> {
  return autogovInProcessWith({ cwd: ROOT }, '--lake', lake, ...args);
}

/** In this process from `cwd`; `env` is what autogov itself reads (AUTOGOV_LAKE), default this process's. */
export async function autogovInProcessWith(options: RunOptions, ...args: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const before = liveResources();
  const code = await builtRunner()(args, {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    stdin: () => Readable.from([]),
    cwd: options.cwd,
    env: options.env ?? process.env,
  });
  const left = [...liveResources()].filter(([kind, n]) => n > (before.get(kind) ?? 0));
  if (left.length)
    throw new Error(
      `autogov ${args.join(' ')} left running: ${left.map(([kind, n]) => `${n - (before.get(kind) ?? 0)} ${kind}`).join(', ')}`,
    );
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
