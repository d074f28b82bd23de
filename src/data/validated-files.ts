import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateDataFile } from './validate';

// Part of every record's identity: bump it when validateDataFile starts refusing something it passed
// before, so earlier passes stop counting.
const RULES = 'validate-2';

/** One version of a stored object: S3 never changes its bytes (key, version, ETag and size pin them). */
export interface ObjectVersion {
  bucket: string;
  key: string;
  versionId?: string;
  etag: string;
  size: number;
}

/**
 * Which object versions passed validateDataFile, so an unchanged file is validated once rather than
 * on every run that reads it (each re-govern, each table using it as a reference, a catalog rebuild).
 */
export interface ValidatedFiles {
  has(version: ObjectVersion): Promise<boolean>;
  add(version: ObjectVersion): Promise<void>;
}

/** Records as empty marker files in `folder`, each named by a hash of the version's identity. */
export function validatedFilesIn(folder: string): ValidatedFiles {
  const marker = (v: ObjectVersion) =>
    join(
      folder,
      createHash('sha256')
        .update(JSON.stringify([RULES, v.bucket, v.key, v.versionId ?? 'null', v.etag, v.size]))
        .digest('hex'),
    );
  return {
    has: async (v) => (await stat(marker(v)).catch(() => undefined)) !== undefined,
    add: async (v) => {
      await mkdir(folder, { recursive: true });
      await writeFile(marker(v), '');
    },
  };
}

/** validateDataFile on the local bytes of `version`, unless that exact version passed before. */
export async function validateVersionOnce(
  file: string,
  label: string,
  version: ObjectVersion,
  validated: ValidatedFiles,
): Promise<void> {
  if (await validated.has(version)) return;
  await validateDataFile(file, label);
  await validated.add(version);
}
