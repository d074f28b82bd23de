import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentLake } from '../../src/app/documents';
import { PROJECT_ROOT } from '../../src/app/local-lake';
import { loadGovernance } from '../../src/config/load';
import { governTableJob } from '../../src/jobs/govern-table';
import { type LocalAiServices, type LocalServices, openLocalServices } from '../../src/local/services';
import { ensureTagKeys } from '../../src/policy/apply';

export const SAMPLES = join(PROJECT_ROOT, 'samples/documents');

/** A lake as LocalLake.open builds it, with replaceable AI emulators (to inject throttling, stuck jobs). */
export async function openDocumentLake(
  ai?: LocalAiServices,
): Promise<DocumentLake & { close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-lake-'));
  const governance = loadGovernance(join(PROJECT_ROOT, 'governance.yml'));
  let services: LocalServices | undefined;
  services = await openLocalServices(dir, {
    projectRoot: PROJECT_ROOT,
    governancePath: governance.path,
    ai,
    jobs: {
      GovernTableJob: (args) =>
        governTableJob({
          s3: services!.s3,
          glue: services!.glue,
          localPath: (loc) => services!.s3.localPath(loc.bucket, loc.key),
        })(args),
    },
  });
  await ensureTagKeys(services.lakeFormation, governance.config);
  return {
    services,
    governance,
    close: async () => {
      await services!.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function rawTags(lake: DocumentLake, key: string): Promise<Record<string, string>> {
  const { s3, settings } = lake.services;
  const res = await s3.getObjectTagging({ Bucket: settings.rawBucket, Key: key });
  return Object.fromEntries((res.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}
