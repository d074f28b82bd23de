// Each sample of samples/documents end to end in one local lake, in-process: the ingest-object
// machine runs from the raw bucket's event; then the record, the extracted JSON (text and PII at
// code point offsets), the raw object's tags, and the LF-Tags of the document tables.
import { join } from 'node:path';
import {
  type DocumentLake,
  ingestDocument,
  listDocuments,
  rawAccess,
  showExtracted,
} from '../../src/app/documents';
import { sliceCodePoints } from '../../src/extract/chunk';
import { accessByPersona } from '../../src/policy/access';
import { readTableTags } from '../../src/policy/apply';
import { openDocumentLake, rawTags, SAMPLES } from './helpers';

jest.setTimeout(120_000);

let lake: DocumentLake & { close(): Promise<void> };
beforeAll(async () => {
  lake = await openDocumentLake();
});
afterAll(() => lake.close());

const recordOf = async (key: string) => (await listDocuments(lake)).filter((r) => r.raw_key === key).at(-1)!;

/** Every PII entity's offsets designate its text (code points), and the expected values are found. */
async function expectPii(key: string, expected: Record<string, string>) {
  const doc = await showExtracted(lake, key);
  for (const e of doc.piiEntities) expect(sliceCodePoints(doc.text, e.BeginOffset, e.EndOffset)).toBe(e.Text);
  for (const [type, text] of Object.entries(expected))
    expect(doc.piiEntities.filter((e) => e.Type === type).map((e) => e.Text)).toContain(text);
  return doc;
}

test.each([
  ['customer-record.pdf', 'document', 'pdf', { NAME: 'Olivia Bennett', EMAIL: 'olivia.bennett@example.com' }],
  ['invoice-scan.png', 'image', 'png', { NAME: 'Liam Carter', EMAIL: 'liam.carter@example.net' }],
  ['meeting-notes.docx', 'text', 'docx', { NAME: 'Emma Rodriguez', EMAIL: 'emma.rodriguez@example.org' }],
  ['support-call.wav', 'audio', 'wav', { NAME: 'Noah Patel', EMAIL: 'noah.patel@example.com' }],
])('%s → %s/%s, PII found at code point offsets, raw object sensitive', async (file, kind, format, pii) => {
  const runs = await ingestDocument(lake, join(SAMPLES, file));
  expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'SUCCEEDED'));
  expect(runs.filter((r) => r.name.startsWith('ingest-'))).toHaveLength(1);
  const record = await recordOf(file);
  expect(record).toMatchObject({
    kind,
    format,
    status: 'processed',
    classification: 'sensitive',
    language: 'en',
  });
  expect(record.pii_entity_types.split(',')).toEqual(expect.arrayContaining(Object.keys(pii)));
  expect(record.extracted_uri).toBe(`s3://${lake.services.settings.extractedBucket}/extracted/${file}.json`);
  const doc = await expectPii(file, pii);
  expect(doc.raw.versionId).toBe(record.version_id);
  expect(await rawTags(lake, file)).toMatchObject({ 'autogov:classification': 'sensitive' });
  expect((await rawTags(lake, file))['autogov:pii']).toContain('EMAIL');
});

test('plain text without PII → public, readable through every access point', async () => {
  await ingestDocument(lake, join(SAMPLES, 'quarterly-notes.txt'));
  expect(await recordOf('quarterly-notes.txt')).toMatchObject({
    kind: 'text',
    status: 'processed',
    classification: 'public',
    pii_entity_types: '',
  });
  expect(await rawTags(lake, 'quarterly-notes.txt')).toEqual({
    'autogov:classification': 'public',
    'autogov:pii': 'NONE',
  });
  expect((await rawAccess(lake, 'quarterly-notes.txt')).map((a) => a.allowed)).toEqual([true, true, true]);
});

test('an unknown binary is recorded as unsupported, not failed, and kept from everyone but category1', async () => {
  const runs = await ingestDocument(lake, join(SAMPLES, 'unknown.bin'));
  expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  expect(await recordOf('unknown.bin')).toMatchObject({
    status: 'unsupported',
    kind: 'unsupported',
    extracted_uri: null,
  });
  expect(await rawTags(lake, 'unknown.bin')).toEqual({
    'autogov:classification': 'sensitive',
    'autogov:pii': 'UNKNOWN',
  });
  expect(
    Object.fromEntries((await rawAccess(lake, 'unknown.bin')).map((a) => [a.persona, a.allowed])),
  ).toEqual({
    category1: true,
    category2: false,
    category3: false,
  });
});

test('the document tables are governed: PII-bearing columns hidden from personas that may not see them', async () => {
  const db = lake.services.settings.documentsDatabase;
  const personas = lake.governance.config.personas;
  const extracted = await readTableTags(lake.services.lakeFormation, db, 'extracted_text');
  // entities holds Comprehend's PERSON entities by name: sensitive like the text itself
  for (const col of ['text', 'pii_entities', 'entities'])
    expect(extracted.columns[col]?.col_class).toBe('sensitive');
  expect(extracted.columns.language?.col_class).toBe('public');
  expect(extracted.table).toMatchObject({ tbl_class: 'sensitive', dq_tag: 'dq100' });
  const columns = Object.keys(extracted.columns);
  const access = accessByPersona(personas, extracted, columns);
  expect(access.category1!.columns).toEqual(expect.arrayContaining(['text', 'pii_entities']));
  expect(access.category2!.allowed).toBe(true);
  expect(access.category2!.columns).not.toContain('text');
  expect(access.category2!.columns).not.toContain('pii_entities');
  expect(access.category2!.columns).not.toContain('entities');
  expect(access.category2!.columns).toContain('raw_key');
  expect(access.category3!.allowed).toBe(false);

  const metadata = await readTableTags(lake.services.lakeFormation, db, 'documents_metadata');
  expect(metadata.table.dq_tag).toBe('dq100');
  // The metadata record carries PII types and counts, never the PII values.
  expect(metadata.columns.pii_entity_types?.col_class).toBe('public');
  expect(metadata.columns.raw_key?.col_class).toBe('public');
});
