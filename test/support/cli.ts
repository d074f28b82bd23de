import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { track } from './processes';

const run = promisify(execFile);
export const ROOT = join(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
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
export async function autogovWith(
  options: { cwd: string; env?: NodeJS.ProcessEnv },
  ...args: string[]
): Promise<CliResult> {
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
