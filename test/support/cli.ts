import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = join(__dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `autogov` CLI in a new process against `lake`, as a user would. */
export async function autogov(lake: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('node', [join(ROOT, 'bin/autogov.js'), '--lake', lake, ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
