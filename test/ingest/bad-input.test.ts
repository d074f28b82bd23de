// issue 4's bad inputs: each ends in a metadata record with a status and reason, and the raw object
// is never modified (only tagged).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as comprehend from '@aws-sdk/client-comprehend';
import type * as textract from '@aws-sdk/client-textract';
import { type DocumentLake, ingestDocument, listDocuments, showExtracted } from '../../src/app/documents';
import { LocalComprehend } from '../../src/local/comprehend';
import { awsCodeError, awsError } from '../../src/local/errors';
import { LocalTextract } from '../../src/local/textract';
import { readTableTags } from '../../src/policy/apply';
import { openDocumentLake, rawTags, SAMPLES, type TestDocumentLake } from './helpers';

jest.setTimeout(120_000);

// The document tables are governed once, after the bad inputs (the last test of the lake), not after
// each ingestion: one run over every record proves no bad input's record breaks their governance.
const GOVERN_AT_THE_END = { governTables: false };

const BAD = join(SAMPLES, 'bad');
const tmp = mkdtempSync(join(tmpdir(), 'bad-input-'));

async function recordsOf(lake: DocumentLake, key: string) {
  return (await listDocuments(lake)).filter((r) => r.raw_key === key);
}

/** The raw bytes are what was uploaded. */
async function expectUnmodified(lake: DocumentLake, key: string, file: string) {
  const { s3, settings } = lake.services;
  const res = await s3.getObject({ Bucket: settings.rawBucket, Key: key });
  const bytes = Buffer.from((await res.Body!.transformToByteArray()) as Uint8Array);
  const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
  expect(md5(bytes)).toBe(md5(readFileSync(file)));
}

/** A WAV whose header says 20 000 s (over Transcribe's 4 h) at one byte per second. */
function longWav(): string {
  const b = Buffer.alloc(44 + 16);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 20_000, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8, 24); // sample rate
  b.writeUInt32LE(1, 28); // byte rate
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36);
  b.writeUInt32LE(20_000, 40);
  const file = join(tmp, 'endless.wav');
  writeFileSync(file, b);
  return file;
}

describe('bad input in one lake', () => {
  let lake: TestDocumentLake;
  beforeAll(async () => {
    lake = await openDocumentLake(undefined, GOVERN_AT_THE_END);
  });
  afterAll(() => lake.close());

  test.each([
    ['empty.txt', 'empty', 'public', /0 bytes/],
    ['photo-not-a.pdf', 'corrupt', 'sensitive', /extension \.pdf says pdf but the content is png/],
    ['corrupt.pdf', 'corrupt', 'sensitive', /cannot be read/],
    ['encrypted.pdf', 'encrypted', 'sensitive', /encrypted/],
    ['huge-dimensions.png', 'too_large', 'sensitive', /10000 px per side/],
    ['german-notes.txt', 'unsupported_language', 'sensitive', /language code 'de' is not supported/],
  ])('%s → %s (recorded, not failed)', async (file, status, classification, reason) => {
    const runs = await ingestDocument(lake, join(BAD, file));
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    const [record, ...more] = await recordsOf(lake, file);
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({ status, classification });
    expect(record!.reason).toMatch(reason);
    expect((await rawTags(lake, file))['autogov:classification']).toBe(classification);
    await expectUnmodified(lake, file, join(BAD, file));
  });

  test('audio longer than Transcribe accepts → too_large, never sent', async () => {
    await ingestDocument(lake, longWav());
    const [record] = await recordsOf(lake, 'endless.wav');
    expect(record).toMatchObject({ status: 'too_large', kind: 'unsupported', format: 'wav' });
    expect(record!.reason).toMatch(/up to 4 h/);
  });

  test('audio without a transcript source → recorded as extraction unavailable locally', async () => {
    const file = join(tmp, 'silence.wav');
    writeFileSync(file, readFileSync(join(SAMPLES, 'support-call.wav')));
    await ingestDocument(lake, file);
    const [record] = await recordsOf(lake, 'silence.wav');
    expect(record).toMatchObject({ status: 'unavailable', classification: 'sensitive' });
    expect(record!.reason).toMatch(/extraction unavailable locally/);
  });

  test('a key with spaces and unicode', async () => {
    const key = 'inbox/Q3 résumé — 📄 notes.txt';
    await ingestDocument(lake, join(SAMPLES, 'quarterly-notes.txt'), key);
    const [record] = await recordsOf(lake, key);
    expect(record).toMatchObject({ status: 'processed', raw_key: key, classification: 'public' });
    expect((await showExtracted(lake, key)).raw.key).toBe(key);
    expect(await rawTags(lake, key)).toMatchObject({ 'autogov:classification': 'public' });
  });

  test('the same object uploaded twice → one execution, one record', async () => {
    const file = join(SAMPLES, 'meeting-notes.docx');
    const first = await ingestDocument(lake, file, 'twice.docx');
    const second = await ingestDocument(lake, file, 'twice.docx');
    expect(first.filter((r) => r.name.startsWith('ingest-'))).toHaveLength(1);
    expect(second).toHaveLength(0);
    expect(await recordsOf(lake, 'twice.docx')).toHaveLength(1);
  });

  test('the records of every bad input above are governed: each document table gets its tags', async () => {
    const database = lake.services.settings.documentsDatabase;
    for (const table of ['documents_metadata', 'extracted_text']) {
      const run = await lake.start('govern-table', { database, table });
      expect({ table, status: run.status }).toEqual({ table, status: 'SUCCEEDED' });
      const tags = await readTableTags(lake.services.lakeFormation, database, table);
      expect(Object.keys(tags.table)).toEqual(expect.arrayContaining(['tbl_class', 'dq_tag']));
    }
  });
});

describe('service trouble', () => {
  test('throttling is retried with backoff: Comprehend in the analysis Lambda, Textract in an aws-sdk task', async () => {
    const calls = { pii: 0, start: 0 };
    class ThrottlingComprehend extends LocalComprehend {
      override async detectPiiEntities(i: comprehend.DetectPiiEntitiesCommandInput) {
        if (calls.pii++ === 0) throw awsError<typeof comprehend>('TooManyRequestsException', 'Rate exceeded');
        return super.detectPiiEntities(i);
      }
    }
    class ThrottlingTextract extends LocalTextract {
      override async startDocumentTextDetection(i: textract.StartDocumentTextDetectionCommandInput) {
        if (calls.start++ === 0) throw awsCodeError('ThrottlingException', 'Rate exceeded', 'server');
        return super.startDocumentTextDetection(i);
      }
    }
    const lake = await openDocumentLake(
      {
        comprehend: () => new ThrottlingComprehend(),
        textract: (s3) => new ThrottlingTextract(s3),
      },
      GOVERN_AT_THE_END,
    );
    try {
      const runs = await ingestDocument(lake, join(SAMPLES, 'customer-record.pdf'));
      expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
      expect(calls).toEqual({ pii: 2, start: 2 });
      const [record] = await recordsOf(lake, 'customer-record.pdf');
      expect(record).toMatchObject({ status: 'processed', classification: 'sensitive' });
      const history = await lake.services.sfn.getExecutionHistory(record!.execution_id);
      const retried = JSON.stringify(history);
      expect(retried).toContain('Textract.ThrottlingException');
      expect(retried).toContain('TooManyRequestsException');
    } finally {
      await lake.close();
    }
  });

  test('a job that never finishes is bounded, recorded as timed out, and fails the execution', async () => {
    class StuckTextract extends LocalTextract {
      polls = 0;
      override async getDocumentTextDetection(
        _i: textract.GetDocumentTextDetectionCommandInput,
      ): Promise<textract.GetDocumentTextDetectionCommandOutput> {
        this.polls++;
        return { $metadata: {}, JobStatus: 'IN_PROGRESS' };
      }
    }
    let stuck: StuckTextract | undefined;
    const lake = await openDocumentLake(
      {
        textract: (s3) => {
          stuck = new StuckTextract(s3);
          return stuck;
        },
      },
      GOVERN_AT_THE_END,
    );
    try {
      const runs = await ingestDocument(lake, join(SAMPLES, 'customer-record.pdf'));
      const ingest = runs.find((r) => r.name.startsWith('ingest-'))!;
      expect(ingest.status).toBe('FAILED');
      expect(ingest.error).toMatch(/Textract job still in progress after 90 polls/);
      const maxPolls = lake.governance.config.extraction.polling.maxPolls;
      expect(stuck!.polls).toBe(maxPolls + 1);
      const [record] = await recordsOf(lake, 'customer-record.pdf');
      expect(record).toMatchObject({ status: 'timed_out', classification: 'sensitive' });
      expect(await rawTags(lake, 'customer-record.pdf')).toEqual({
        'autogov:classification': 'sensitive',
        'autogov:pii': 'UNKNOWN',
      });
    } finally {
      await lake.close();
    }
  });
});
