import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentLake } from '../../src/app/documents';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import type { LocalAiServices } from '../../src/local/services';

export const SAMPLES = join(PROJECT_ROOT, 'samples/documents');

/** A fresh lake in a temp folder, with replaceable AI emulators (to inject throttling, stuck jobs). */
export async function openDocumentLake(
  ai?: LocalAiServices,
): Promise<DocumentLake & { close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-lake-'));
  const lake = await LocalLake.open({ lake: dir, governance: join(PROJECT_ROOT, 'governance.yml'), ai });
  return {
    services: lake.services,
    governance: lake.governance,
    close: async () => {
      await lake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function rawTags(lake: DocumentLake, key: string): Promise<Record<string, string>> {
  const { s3, settings } = lake.services;
  const res = await s3.getObjectTagging({ Bucket: settings.rawBucket, Key: key });
  return Object.fromEntries((res.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}
