// Textract document analysis: the setting that turns it on, the plan the state machine follows, the
// Get API CollectText pages through, and forms/tables/signatures read back from the blocks.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block, GetDocumentAnalysisCommandOutput } from '@aws-sdk/client-textract';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/app/local-lake';
import { governanceSchema } from '../../src/config/schema';
import { classifyBytes } from '../../src/extract/classify';
import type { TextractPort } from '../../src/extract/ports';
import { collectTextractText } from '../../src/ingest/extracted';
import { planIngestion } from '../../src/ingest/plan';
import { documentAnalysisOf } from '../../src/ingest/textract-analysis';
import { TEST_SETTINGS } from './helpers';

const raw = parse(readFileSync(join(PROJECT_ROOT, 'governance.yml'), 'utf8')) as Record<string, unknown>;
const withTextract = (textract: unknown) =>
  governanceSchema.safeParse({
    ...raw,
    extraction: { ...(raw.extraction as object), textract },
  });

const planFor = (featureTypes: string[]) => {
  const parsed = withTextract({ featureTypes });
  if (!parsed.success) throw parsed.error;
  const head = Buffer.from('%PDF-1.7\n');
  return planIngestion(
    'arn:x:execution:m:n',
    { bucket: 'raw', key: 'a.pdf', size: head.length, versionId: 'v1' },
    classifyBytes({ head, size: head.length, key: 'a.pdf' }),
    parsed.data.extraction,
    TEST_SETTINGS,
  );
};

test('extraction.textract.featureTypes: default none, known types once each, nothing else', () => {
  expect(governanceSchema.parse(raw).extraction.textract).toEqual({ featureTypes: [] });
  expect(withTextract({}).data?.extraction.textract).toEqual({ featureTypes: [] });
  expect(withTextract({ featureTypes: ['FORMS', 'TABLES'] }).success).toBe(true);
  expect(withTextract({ featureTypes: ['FORMS', 'FORMS'] }).error?.message).toMatch(/each feature type once/);
  expect(withTextract({ featureTypes: ['QUERIES'] }).success).toBe(false);
  expect(withTextract({ featureTypes: [], queries: [] }).success).toBe(false);
});

test('plan: text detection by default, document analysis with the configured FeatureTypes', () => {
  expect(planFor([]).textract).toEqual({
    api: 'detection',
    DocumentLocation: { S3Object: { Bucket: 'raw', Name: 'a.pdf', Version: 'v1' } },
    ClientRequestToken: expect.any(String),
  });
  expect(planFor(['TABLES', 'FORMS']).textract).toMatchObject({
    api: 'analysis',
    FeatureTypes: ['TABLES', 'FORMS'],
  });
});

const word = (Id: string, Text: string, Page = 1): Block => ({ BlockType: 'WORD', Id, Text, Page });
const child = (...Ids: string[]) => [{ Type: 'CHILD' as const, Ids }];

const BLOCKS: Block[] = [
  { BlockType: 'PAGE', Id: 'p1', Page: 1 },
  {
    BlockType: 'LINE',
    Id: 'l1',
    Page: 1,
    Text: 'Name: Olivia Bennett',
    Relationships: child('w1', 'w2', 'w3'),
  },
  word('w1', 'Name:'),
  word('w2', 'Olivia'),
  word('w3', 'Bennett'),
  {
    BlockType: 'KEY_VALUE_SET',
    Id: 'k1',
    Page: 1,
    EntityTypes: ['KEY'],
    Relationships: [...child('w1'), { Type: 'VALUE', Ids: ['v1'] }],
  },
  { BlockType: 'KEY_VALUE_SET', Id: 'v1', Page: 1, EntityTypes: ['VALUE'], Relationships: child('w2', 'w3') },
  { BlockType: 'LINE', Id: 'l2', Page: 1, Text: 'Subscribed', Relationships: child('w4') },
  word('w4', 'Subscribed'),
  {
    BlockType: 'KEY_VALUE_SET',
    Id: 'k2',
    Page: 1,
    EntityTypes: ['KEY'],
    Relationships: [...child('w4'), { Type: 'VALUE', Ids: ['v2'] }],
  },
  { BlockType: 'KEY_VALUE_SET', Id: 'v2', Page: 1, EntityTypes: ['VALUE'], Relationships: child('s1') },
  { BlockType: 'SELECTION_ELEMENT', Id: 's1', Page: 1, SelectionStatus: 'SELECTED' },
  { BlockType: 'PAGE', Id: 'p2', Page: 2 },
  { BlockType: 'TABLE', Id: 't1', Page: 2, Relationships: child('c11', 'c12', 'c21', 'c23') },
  { BlockType: 'CELL', Id: 'c11', Page: 2, RowIndex: 1, ColumnIndex: 1, Relationships: child('w5') },
  { BlockType: 'CELL', Id: 'c12', Page: 2, RowIndex: 1, ColumnIndex: 2, Relationships: child('w6') },
  { BlockType: 'CELL', Id: 'c21', Page: 2, RowIndex: 2, ColumnIndex: 1, Relationships: child('w7') },
  // a cell Textract left out (2,2) and one with no words (2,3)
  { BlockType: 'CELL', Id: 'c23', Page: 2, RowIndex: 2, ColumnIndex: 3 },
  word('w5', 'Item', 2),
  word('w6', 'Price', 2),
  word('w7', 'Tea', 2),
  { BlockType: 'SIGNATURE', Id: 'sig1', Page: 2 },
  { BlockType: 'SIGNATURE', Id: 'sig2', Page: 2 },
];

test('forms (checkboxes as [X]/[ ]), tables by row and column, signatures per page', () => {
  expect(documentAnalysisOf(BLOCKS, ['FORMS', 'TABLES', 'SIGNATURES'])).toEqual({
    featureTypes: ['FORMS', 'TABLES', 'SIGNATURES'],
    forms: [
      { page: 1, key: 'Name:', value: 'Olivia Bennett' },
      { page: 1, key: 'Subscribed', value: '[X]' },
    ],
    tables: [
      {
        page: 2,
        rows: [
          ['Item', 'Price'],
          ['Tea', '', ''],
        ],
      },
    ],
    signatures: [{ page: 2, count: 2 }],
  });
});

test('CollectText pages through GetDocumentAnalysis for an analysis job and merges the pages', async () => {
  const calls: string[] = [];
  const pages: GetDocumentAnalysisCommandOutput[] = [
    {
      $metadata: {},
      JobStatus: 'SUCCEEDED',
      DocumentMetadata: { Pages: 2 },
      Blocks: BLOCKS.slice(0, 11),
      NextToken: 't',
    },
    { $metadata: {}, JobStatus: 'SUCCEEDED', Blocks: BLOCKS.slice(11) },
  ];
  const textract = {
    getDocumentAnalysis: async ({ NextToken }: { NextToken?: string }) => {
      calls.push(`analysis:${NextToken ?? ''}`);
      return pages[NextToken ? 1 : 0]!;
    },
    getDocumentTextDetection: async () => {
      throw new Error('not this API');
    },
  } as unknown as TextractPort;
  const work = await collectTextractText(textract, 'job', { featureTypes: ['FORMS', 'TABLES'] });
  expect(calls).toEqual(['analysis:', 'analysis:t']);
  expect(work).toMatchObject({ source: 'textract', text: 'Name: Olivia Bennett\nSubscribed', pages: 2 });
  expect(work.limitations).toBeUndefined();
  expect(work.analysis?.forms).toHaveLength(2);
  expect(work.analysis?.tables[0]?.rows[0]).toEqual(['Item', 'Price']);
});
