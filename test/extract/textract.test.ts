import type { Block } from '@aws-sdk/client-textract';
import {
  InvalidJobIdException,
  InvalidParameterException,
  InvalidS3ObjectException,
} from '@aws-sdk/client-textract';
import { collectBlocks, textFromBlocks } from '../../src/extract/blocks';
import type { TextractPort } from '../../src/extract/ports';
import { LocalTextract } from '../../src/local/textract';
import { MemoryS3, sample } from './helpers';

const s3 = new MemoryS3();
s3.put('raw', 'docs/customer-record.pdf', sample('customer-record.pdf'));
s3.put('raw', 'docs/encrypted.pdf', sample('bad/encrypted.pdf'));
s3.put('raw', 'docs/corrupt.pdf', sample('bad/corrupt.pdf'));
s3.put('raw', 'docs/unknown.bin', sample('unknown.bin'));
s3.put('raw', 'docs/invoice-scan.png', sample('invoice-scan.png'));
s3.put('raw', 'docs/huge.png', sample('bad/huge-dimensions.png'));

const loc = (Name: string) => ({ DocumentLocation: { S3Object: { Bucket: 'raw', Name } } });

/** The state machine's loop: Get until the status leaves IN_PROGRESS (bounded). */
async function poll(textract: TextractPort, JobId: string) {
  const statuses: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await textract.getDocumentTextDetection({ JobId });
    statuses.push(r.JobStatus!);
    if (r.JobStatus !== 'IN_PROGRESS') return { r, statuses };
  }
  throw new Error('job never finished');
}

describe('LocalTextract', () => {
  const textract = new LocalTextract(s3);

  it('detects text in a PDF: IN_PROGRESS once, then PAGE/LINE/WORD blocks', async () => {
    const { JobId } = await textract.startDocumentTextDetection(loc('docs/customer-record.pdf'));
    const { r, statuses } = await poll(textract, JobId!);
    expect(statuses).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
    expect(r.DocumentMetadata).toEqual({ Pages: 2 });
    expect(r.DetectDocumentTextModelVersion).toBe('1.0');
    const blocks = r.Blocks!;
    expect(blocks.filter((b) => b.BlockType === 'PAGE').map((b) => b.Page)).toEqual([1, 2]);
    expect(textFromBlocks(blocks)).toContain('Email: olivia.bennett@example.com');
    // Every CHILD id resolves; every LINE's words spell its text.
    const byId = new Map(blocks.map((b) => [b.Id!, b]));
    for (const line of blocks.filter((b) => b.BlockType === 'LINE')) {
      const words = line.Relationships![0]!.Ids!.map((id) => byId.get(id)!);
      expect(words.every((w) => w.BlockType === 'WORD' && w.TextType === 'PRINTED')).toBe(true);
      expect(words.map((w) => w.Text).join(' ')).toBe(line.Text);
      expect(line.Confidence).toBe(100);
      expect(line.Geometry!.Polygon).toHaveLength(4);
    }
    for (const page of blocks.filter((b) => b.BlockType === 'PAGE')) {
      for (const id of page.Relationships![0]!.Ids!) expect(byId.get(id)!.BlockType).toBe('LINE');
    }
  });

  it('paginates with MaxResults/NextToken; merged pages equal the single response', async () => {
    const { JobId } = await textract.startDocumentTextDetection(loc('docs/customer-record.pdf'));
    await textract.getDocumentTextDetection({ JobId }); // IN_PROGRESS
    const all = (await textract.getDocumentTextDetection({ JobId })).Blocks!;
    const sizes: number[] = [];
    const merged: Block[] = await collectBlocks(async (NextToken) => {
      const page = await textract.getDocumentTextDetection({ JobId, MaxResults: 7, NextToken });
      sizes.push(page.Blocks!.length);
      return page;
    });
    expect(merged).toEqual(all);
    expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
    expect(sizes.length).toBe(Math.ceil(all.length / 7));
    await expect(textract.getDocumentTextDetection({ JobId, NextToken: 'bm9wZQ' })).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('OCRs an image and finds the name and email', async () => {
    const { JobId } = await textract.startDocumentTextDetection(loc('docs/invoice-scan.png'));
    const { r } = await poll(textract, JobId!);
    expect(r.JobStatus).toBe('SUCCEEDED');
    const text = textFromBlocks(r.Blocks!);
    expect(text).toContain('Liam Carter');
    expect(text).toContain('liam.carter@example.net');
  }, 60_000);

  it('fails jobs for encrypted, corrupt, oversized and unsupported documents with a StatusMessage', async () => {
    const status = async (name: string) => {
      const { JobId } = await textract.startDocumentTextDetection(loc(name));
      return (await poll(textract, JobId!)).r;
    };
    expect(await status('docs/encrypted.pdf')).toMatchObject({
      JobStatus: 'FAILED',
      StatusMessage: expect.stringContaining('encrypted (password protected)'),
    });
    expect((await status('docs/corrupt.pdf')).StatusMessage).toMatch(
      /^UnsupportedDocument: the PDF cannot be read/,
    );
    expect((await status('docs/huge.png')).StatusMessage).toContain('20000×100 px');
    expect((await status('docs/unknown.bin')).StatusMessage).toBe(
      'UnsupportedDocument: Request has unsupported document format',
    );
  });

  it('analysis returns LINE/WORD blocks and a warning that forms/tables are not local', async () => {
    const { JobId } = await textract.startDocumentAnalysis({
      ...loc('docs/customer-record.pdf'),
      FeatureTypes: ['FORMS', 'TABLES'],
    });
    await textract.getDocumentAnalysis({ JobId });
    const r = await textract.getDocumentAnalysis({ JobId });
    expect(r.JobStatus).toBe('SUCCEEDED');
    expect(r.AnalyzeDocumentModelVersion).toBe('1.0');
    expect(new Set(r.Blocks!.map((b) => b.BlockType))).toEqual(new Set(['PAGE', 'LINE', 'WORD']));
    expect(r.Warnings![0]!.ErrorCode).toContain('FORMS, TABLES');
    // A text detection job id is not an analysis job id.
    await expect(textract.getDocumentTextDetection({ JobId })).rejects.toBeInstanceOf(InvalidJobIdException);
  });

  it('validates requests and objects like the service', async () => {
    await expect(textract.startDocumentTextDetection(loc('docs/missing.pdf'))).rejects.toBeInstanceOf(
      InvalidS3ObjectException,
    );
    await expect(textract.startDocumentTextDetection({} as never)).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      textract.startDocumentAnalysis({ ...loc('docs/customer-record.pdf'), FeatureTypes: [] }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(textract.getDocumentTextDetection({ JobId: 'nope' })).rejects.toBeInstanceOf(
      InvalidJobIdException,
    );
  });

  it('returns the same JobId for a repeated ClientRequestToken', async () => {
    const a = await textract.startDocumentTextDetection({
      ...loc('docs/customer-record.pdf'),
      ClientRequestToken: 'tok-1',
    });
    const b = await textract.startDocumentTextDetection({
      ...loc('docs/customer-record.pdf'),
      ClientRequestToken: 'tok-1',
    });
    expect(b.JobId).toBe(a.JobId);
    await expect(
      textract.startDocumentTextDetection({ ...loc('docs/encrypted.pdf'), ClientRequestToken: 'tok-1' }),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
  });

  it('can report IN_PROGRESS several times before the result', async () => {
    const slow = new LocalTextract(s3, { inProgressPolls: 3 });
    const { JobId } = await slow.startDocumentTextDetection(loc('docs/customer-record.pdf'));
    expect((await poll(slow, JobId!)).statuses).toEqual([
      'IN_PROGRESS',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'SUCCEEDED',
    ]);
  });
});
