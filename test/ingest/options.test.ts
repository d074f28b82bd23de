// Optional extraction settings of governance.yml, end to end on the local emulators: what the local
// engines cannot give is recorded with the reason, never left out silently.
import { join } from 'node:path';
import type * as textract from '@aws-sdk/client-textract';
import { type DocumentLake, ingestDocument, listDocuments, showExtracted } from '../../src/app/documents';
import { LocalTextract } from '../../src/local/textract';
import { openDocumentLake, SAMPLES } from './helpers';

jest.setTimeout(120_000);

// What these settings change is the ingestion and its record: the document tables are not governed
// after each ingestion here (test/ingest/samples.test.ts covers that).
const NO_TABLE_GOVERNANCE = { governTables: false };

let lake: DocumentLake & { close(): Promise<void> };
beforeAll(async () => {
  lake = await openDocumentLake(undefined, {
    rekognition: { enabled: true },
    textract: { featureTypes: ['FORMS', 'TABLES'] },
    ...NO_TABLE_GOVERNANCE,
  });
});
afterAll(() => lake.close());

const recordOf = async (key: string) => (await listDocuments(lake)).filter((r) => r.raw_key === key).at(-1)!;

const LOCAL_ANALYSIS =
  'Textract analysis: LOCAL_FEATURES_NOT_AVAILABLE: FORMS, TABLES (local analysis returns LINE and WORD blocks only)';

test('textract.featureTypes: documents go through document analysis; locally text only, and the record says so', async () => {
  const runs = await ingestDocument(lake, join(SAMPLES, 'customer-record.pdf'));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'SUCCEEDED'));
  const state = runs.find((r) => r.name.startsWith('ingest-'))!.output as {
    plan: { textract: unknown };
    poll: { result: Record<string, unknown> };
  };
  expect(state.plan.textract).toMatchObject({ api: 'analysis', FeatureTypes: ['FORMS', 'TABLES'] });
  // the last poll was GetDocumentAnalysis (text detection answers DetectDocumentTextModelVersion)
  expect(state.poll.result).toMatchObject({ JobStatus: 'SUCCEEDED', AnalyzeDocumentModelVersion: '1.0' });

  const record = await recordOf('customer-record.pdf');
  expect(record).toMatchObject({ status: 'processed', classification: 'sensitive', reason: LOCAL_ANALYSIS });
  expect(record.pii_entity_types.split(',')).toEqual(expect.arrayContaining(['EMAIL', 'NAME']));
  const doc = await showExtracted(lake, 'customer-record.pdf');
  expect(doc.reason).toBe(LOCAL_ANALYSIS);
  expect(doc.warnings).toContain(LOCAL_ANALYSIS.replace('Textract analysis: ', ''));
  expect(doc.analysis).toEqual({ featureTypes: ['FORMS', 'TABLES'], forms: [], tables: [], signatures: [] });
  expect(doc.text).toMatch(/Olivia Bennett/);
});

test('rekognition.enabled: an image gets Rekognition text locally; labels are recorded as unavailable', async () => {
  const runs = await ingestDocument(lake, join(SAMPLES, 'invoice-scan.png'));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'SUCCEEDED'));
  const record = await recordOf('invoice-scan.png');
  expect(record).toMatchObject({ status: 'processed', classification: 'sensitive' });
  // what neither local engine could give, in the order the steps ran
  expect(record.reason?.split('; ')).toEqual([
    LOCAL_ANALYSIS,
    expect.stringMatching(
      /^Rekognition labels: extraction unavailable locally: image labels need a vision model/,
    ),
  ]);
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

test('an analysis job that never finishes is bounded by polling.maxPolls and recorded as timed out', async () => {
  class StuckAnalysis extends LocalTextract {
    polls = 0;
    override async getDocumentAnalysis(
      _i: textract.GetDocumentAnalysisCommandInput,
    ): Promise<textract.GetDocumentAnalysisCommandOutput> {
      this.polls++;
      return { $metadata: {}, JobStatus: 'IN_PROGRESS' };
    }
  }
  let stuck: StuckAnalysis | undefined;
  const stuckLake = await openDocumentLake(
    {
      textract: (s3) => {
        stuck = new StuckAnalysis(s3);
        return stuck;
      },
    },
    {
      textract: { featureTypes: ['TABLES'] },
      polling: { intervalSeconds: 1, maxPolls: 3 },
      ...NO_TABLE_GOVERNANCE,
    },
  );
  try {
    const runs = await ingestDocument(stuckLake, join(SAMPLES, 'customer-record.pdf'));
    const ingest = runs.find((r) => r.name.startsWith('ingest-'))!;
    expect(ingest).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/Textract job still in progress after 3 polls/),
    });
    expect(stuck!.polls).toBe(4);
    expect((await listDocuments(stuckLake)).at(-1)).toMatchObject({
      status: 'timed_out',
      classification: 'sensitive',
    });
  } finally {
    await stuckLake.close();
  }
});
