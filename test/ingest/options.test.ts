// Optional extraction settings of governance.yml, end to end on the local emulators: what the local
// engines cannot give is recorded with the reason, never left out silently.
import { join } from 'node:path';
import { type DocumentLake, ingestDocument, listDocuments, showExtracted } from '../../src/app/documents';
import { openDocumentLake, SAMPLES } from './helpers';

jest.setTimeout(120_000);

let lake: DocumentLake & { close(): Promise<void> };
beforeAll(async () => {
  lake = await openDocumentLake(undefined, { rekognition: { enabled: true } });
});
afterAll(() => lake.close());

const recordOf = async (key: string) => (await listDocuments(lake)).filter((r) => r.raw_key === key).at(-1)!;

test('rekognition.enabled: an image gets Rekognition text locally; labels are recorded as unavailable', async () => {
  const runs = await ingestDocument(lake, join(SAMPLES, 'invoice-scan.png'));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'SUCCEEDED'));
  const record = await recordOf('invoice-scan.png');
  expect(record).toMatchObject({ status: 'processed', classification: 'sensitive' });
  expect(record.reason).toMatch(
    /^Rekognition labels: extraction unavailable locally: image labels need a vision model/,
  );
  const doc = await showExtracted(lake, 'invoice-scan.png');
  expect(doc.reason).toBe(record.reason);
  expect(doc.rekognition).toMatchObject({
    labels: [],
    labelsUnavailable: expect.stringMatching(/^extraction unavailable locally/),
  });
  expect(doc.rekognition && 'text' in doc.rekognition && doc.rekognition.text.join('\n')).toMatch(
    /Liam Carter/,
  );
});

test('rekognition only looks at images', async () => {
  await ingestDocument(lake, join(SAMPLES, 'quarterly-notes.txt'));
  expect(await recordOf('quarterly-notes.txt')).toMatchObject({ status: 'processed', reason: null });
  expect((await showExtracted(lake, 'quarterly-notes.txt')).rekognition).toBeUndefined();
});
