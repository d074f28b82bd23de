// What the build works out once so that no run repeats it (the validated state machines, parsed YAML,
// the PII lexicon), kept in dist/ and used only under the key it was worked out with, so an edited
// source or another library version is never served a stale record.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './paths';

/** A record's file in the build. */
export const buildFile = (name: string) => join(PACKAGE_ROOT, 'dist', name);

/** SHA-256 of the parts, each ended by a newline. */
export function contentKey(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('hex');
}

/** The record, or undefined with no build (tsx from a source checkout): the caller works it out. */
export function readBuildRecord<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeBuildRecord(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value)}\n`);
}
