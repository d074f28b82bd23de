import { readFileSync, statSync } from 'node:fs';
import { UserError } from './errors';

/** A file the user named: a missing path or a folder is one line naming the path, never a bare ENOENT/EISDIR. */
export function existingFile(path: string, what: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UserError(`${path}: no such ${what}`);
  if (stat.isDirectory()) throw new UserError(`${path}: is a folder; give the path of a ${what}`);
  return path;
}

/** Reads a file the user named (see `existingFile`). */
export function readTextFile(path: string, what: string): string {
  return readFileSync(existingFile(path, what), 'utf8');
}
