import type { ChildProcess } from 'node:child_process';

/** Child processes a test started and that have not exited yet. */
export const running = new Set<ChildProcess>();

/** Tracks `child` until it exits. */
export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}
