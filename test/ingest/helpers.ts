import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { DocumentLake } from '../../src/app/documents';
import { LocalLake, PROJECT_ROOT } from '../../src/app/local-lake';
import type { Settings } from '../../src/aws/services';
import { LOCAL_DOCUMENTS_DATABASE } from '../../src/local/catalog';
import type { LocalAiServices } from '../../src/local/services';

export const SAMPLES = join(PROJECT_ROOT, 'samples/documents');

/** A document lake of the tests: `start` runs a state machine to completion; `close` removes the lake. */
export type TestDocumentLake = DocumentLake & Pick<LocalLake, 'start'> & { close(): Promise<void> };

/**
 * A fresh lake in a temp folder, with replaceable AI emulators (to inject throttling, stuck jobs) and
 * `extraction` settings over the project's governance.yml (a copy in the temp folder).
 */
export async function openDocumentLake(
  ai?: LocalAiServices,
  extraction?: Record<string, unknown>,
): Promise<TestDocumentLake> {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-lake-'));
  let governance = join(PROJECT_ROOT, 'governance.yml');
  if (extraction) {
    const doc = parseDocument(readFileSync(governance, 'utf8'));
    for (const [key, value] of Object.entries(extraction)) doc.setIn(['extraction', key], value);
    governance = join(dir, 'governance.yml');
    writeFileSync(governance, doc.toString());
    // rulesets resolve relative to governance.yml
    symlinkSync(join(PROJECT_ROOT, 'dqdl'), join(dir, 'dqdl'));
  }
  const lake = await LocalLake.open({ lake: join(dir, 'lake'), governance, ai });
  return {
    services: lake.services,
    governance: lake.governance,
    start: (machine, input, name) => lake.start(machine, input, name),
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

/** Settings for unit tests that call ingestion modules directly (no lake). */
export const TEST_SETTINGS: Settings = {
  stage: 't',
  rawBucket: 'raw',
  artifactsBucket: 'a',
  certifiedBucket: 'c',
  governancePath: '',
  governTableStateMachineArn: '',
  eventBusName: 'default',
  extractedBucket: 'ex',
  ingestObjectStateMachineArn: '',
  documentsDatabase: LOCAL_DOCUMENTS_DATABASE,
};
