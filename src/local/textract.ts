// TextractPort on local engines: PDF text layers through unpdf, images through tesseract.js OCR.
// Jobs start working at Start*; the first Get* (by default) answers IN_PROGRESS without waiting so a
// state machine's Wait → Get → Choice loop runs at least once, and later Get* calls wait for the local
// work to finish (seconds at most), so a local run never sleeps on a real timer.
// StartDocumentAnalysis accepts FeatureTypes but returns PAGE/LINE/WORD blocks only: forms, tables,
// queries, signatures and layout are not reproduced locally; a Warning says so on every result page.
// Jobs live in memory: they do not survive the process (neither do executions of the local runner).
import { randomUUID } from 'node:crypto';
import type * as textract from '@aws-sdk/client-textract';
import { z } from 'zod';
import type { S3Port } from '../aws/ports';
import { LIMITS, sniff } from '../extract/classify';
import { ocrImage } from '../extract/ocr';
import { extractPdf } from '../extract/pdf';
import type { TextractPort } from '../extract/ports';
import { type ExtractedDocument, ExtractionError, geometryOf } from '../extract/types';
import { awsError, inputParser } from './errors';

export interface LocalTextractOptions {
  /** Get* calls per job that answer IN_PROGRESS before the result (default 1). */
  inProgressPolls?: number;
  /** Engines, replaceable in tests. */
  ocr?: (bytes: Uint8Array) => Promise<ExtractedDocument>;
  pdf?: (bytes: Uint8Array) => Promise<ExtractedDocument>;
}

type Api = 'text' | 'analysis';
type Outcome =
  | { ok: true; blocks: textract.Block[]; pages: number; warnings: textract.Warning[] }
  | { ok: false; message: string };

interface Job {
  api: Api;
  polls: number;
  outcome: Promise<Outcome>;
  token?: string;
  location: string;
}

const s3Object = z.object({
  Bucket: z.string().min(1),
  Name: z.string().min(1),
  Version: z.string().min(1).optional(),
});
const startSchema = z.looseObject({
  DocumentLocation: z.object({ S3Object: s3Object }),
  ClientRequestToken: z
    .string()
    .regex(/^[a-zA-Z0-9-_]+$/)
    .max(64)
    .optional(),
  JobTag: z.string().max(64).optional(),
});
const analysisSchema = startSchema.extend({
  FeatureTypes: z.array(z.enum(['TABLES', 'FORMS', 'QUERIES', 'SIGNATURES', 'LAYOUT'])).min(1),
});
const getSchema = z.object({
  JobId: z.string().min(1).max(64),
  MaxResults: z.number().int().min(1).optional(),
  NextToken: z.string().min(1).optional(),
});

const parse = inputParser((message) => awsError<typeof textract>('InvalidParameterException', message));

/** PAGE → LINE → WORD blocks with CHILD relationships, each LINE followed by its WORDs. */
export function toBlocks(doc: ExtractedDocument): textract.Block[] {
  const blocks: textract.Block[] = [];
  for (const page of doc.pages) {
    const pageBlock: textract.Block = {
      BlockType: 'PAGE',
      Id: randomUUID(),
      Page: page.pageNumber,
      Geometry: geometryOf({ Left: 0, Top: 0, Width: 1, Height: 1 }),
      Relationships: [{ Type: 'CHILD', Ids: [] }],
    };
    blocks.push(pageBlock);
    for (const line of page.lines) {
      const words: textract.Block[] = line.words.map((w) => ({
        BlockType: 'WORD',
        Id: randomUUID(),
        Page: page.pageNumber,
        Text: w.text,
        TextType: 'PRINTED',
        Confidence: w.confidence,
        Geometry: geometryOf(w.geometry),
      }));
      const lineBlock: textract.Block = {
        BlockType: 'LINE',
        Id: randomUUID(),
        Page: page.pageNumber,
        Text: line.text,
        Confidence: line.confidence,
        Geometry: geometryOf(line.geometry),
        Relationships: [{ Type: 'CHILD', Ids: words.map((w) => w.Id!) }],
      };
      pageBlock.Relationships![0]!.Ids!.push(lineBlock.Id!);
      blocks.push(lineBlock, ...words);
    }
  }
  return blocks;
}

const encodeToken = (jobId: string, offset: number) =>
  Buffer.from(`${jobId}:${offset}`).toString('base64url');

export class LocalTextract implements TextractPort {
  private readonly jobs = new Map<string, Job>();
  private readonly inProgressPolls: number;
  private readonly ocr: (bytes: Uint8Array) => Promise<ExtractedDocument>;
  private readonly pdf: (bytes: Uint8Array) => Promise<ExtractedDocument>;

  constructor(
    private readonly s3: S3Port,
    opts: LocalTextractOptions = {},
  ) {
    this.inProgressPolls = opts.inProgressPolls ?? 1;
    this.ocr = opts.ocr ?? ocrImage;
    this.pdf = opts.pdf ?? ((b) => extractPdf(b));
  }

  async startDocumentTextDetection(
    input: textract.StartDocumentTextDetectionCommandInput,
  ): Promise<textract.StartDocumentTextDetectionCommandOutput> {
    const p = parse(startSchema, input);
    return {
      $metadata: {},
      JobId: await this.start('text', p.DocumentLocation.S3Object, p.ClientRequestToken, []),
    };
  }

  async startDocumentAnalysis(
    input: textract.StartDocumentAnalysisCommandInput,
  ): Promise<textract.StartDocumentAnalysisCommandOutput> {
    const p = parse(analysisSchema, input);
    return {
      $metadata: {},
      JobId: await this.start('analysis', p.DocumentLocation.S3Object, p.ClientRequestToken, p.FeatureTypes),
    };
  }

  async getDocumentTextDetection(
    input: textract.GetDocumentTextDetectionCommandInput,
  ): Promise<textract.GetDocumentTextDetectionCommandOutput> {
    return { ...(await this.get('text', input)), DetectDocumentTextModelVersion: '1.0' };
  }

  async getDocumentAnalysis(
    input: textract.GetDocumentAnalysisCommandInput,
  ): Promise<textract.GetDocumentAnalysisCommandOutput> {
    return { ...(await this.get('analysis', input)), AnalyzeDocumentModelVersion: '1.0' };
  }

  private async start(
    api: Api,
    obj: z.infer<typeof s3Object>,
    token: string | undefined,
    features: string[],
  ): Promise<string> {
    const location = `${api}:s3://${obj.Bucket}/${obj.Name}?${obj.Version ?? ''}`;
    if (token) {
      // Textract: the same ClientRequestToken returns the same JobId.
      for (const [id, job] of this.jobs) {
        if (job.token !== token) continue;
        if (job.location !== location) {
          throw awsError<typeof textract>(
            'IdempotentParameterMismatchException',
            'ClientRequestToken was used with different parameters',
          );
        }
        return id;
      }
    }
    try {
      await this.s3.headObject({ Bucket: obj.Bucket, Key: obj.Name, VersionId: obj.Version });
    } catch (err) {
      if (
        err instanceof Error &&
        (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.name === 'NoSuchBucket')
      ) {
        throw awsError<typeof textract>(
          'InvalidS3ObjectException',
          'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
        );
      }
      throw err;
    }
    const jobId = randomUUID().replace(/-/g, '');
    const warnings: textract.Warning[] = features.length
      ? [
          {
            ErrorCode: `LOCAL_FEATURES_NOT_AVAILABLE: ${features.join(', ')} (local analysis returns LINE and WORD blocks only)`,
          },
        ]
      : [];
    const outcome = this.process(obj, warnings);
    this.jobs.set(jobId, { api, polls: 0, outcome, token, location });
    return jobId;
  }

  /** Never rejects: every failure becomes a FAILED job with a StatusMessage. */
  private async process(obj: z.infer<typeof s3Object>, warnings: textract.Warning[]): Promise<Outcome> {
    try {
      const r = await this.s3.getObject({ Bucket: obj.Bucket, Key: obj.Name, VersionId: obj.Version });
      const body = r.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
      const bytes = body ? await body.transformToByteArray() : new Uint8Array();
      const format = bytes.length ? sniff(bytes)?.format : undefined;
      let doc: ExtractedDocument;
      if (format === 'pdf' || format === 'tiff') {
        if (bytes.length > LIMITS.textractDocumentBytes)
          return { ok: false, message: 'DocumentTooLarge: PDF/TIFF over 500 MB' };
        doc = format === 'pdf' ? await this.pdf(bytes) : await this.ocr(bytes);
      } else if (format === 'png' || format === 'jpeg') {
        if (bytes.length > LIMITS.textractImageBytes)
          return { ok: false, message: 'DocumentTooLarge: image over 10 MB' };
        const h = sniff(bytes);
        if ((h?.width ?? 0) > LIMITS.textractMaxPixels || (h?.height ?? 0) > LIMITS.textractMaxPixels) {
          return {
            ok: false,
            message: `UnsupportedDocument: image is ${h?.width}×${h?.height} px (maximum 10000 per side)`,
          };
        }
        doc = await this.ocr(bytes);
      } else {
        return { ok: false, message: 'UnsupportedDocument: Request has unsupported document format' };
      }
      const w = [...warnings];
      if (doc.emptyPages.length) {
        w.push({
          ErrorCode:
            "LOCAL_NO_TEXT: no text layer or no recognisable text (scanned PDF pages are not OCR'd locally)",
          Pages: doc.emptyPages,
        });
      }
      return { ok: true, blocks: toBlocks(doc), pages: doc.pages.length, warnings: w };
    } catch (err) {
      if (err instanceof ExtractionError) {
        const prefix = err.code === 'encrypted' || err.code === 'corrupt' ? 'UnsupportedDocument: ' : '';
        return { ok: false, message: `${prefix}${err.message}` };
      }
      return { ok: false, message: `InternalError: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  private async get(
    api: Api,
    input: textract.GetDocumentTextDetectionCommandInput,
  ): Promise<textract.GetDocumentTextDetectionCommandOutput> {
    const p = parse(getSchema, input);
    const job = this.jobs.get(p.JobId);
    if (!job || job.api !== api)
      throw awsError<typeof textract>('InvalidJobIdException', `Invalid JobId: ${p.JobId}`);
    if (job.polls < this.inProgressPolls) {
      job.polls++;
      return { $metadata: {}, JobStatus: 'IN_PROGRESS' };
    }
    const outcome = await job.outcome;
    if (!outcome.ok) return { $metadata: {}, JobStatus: 'FAILED', StatusMessage: outcome.message };
    let offset = 0;
    if (p.NextToken) {
      const [id, n] = Buffer.from(p.NextToken, 'base64url').toString().split(':');
      offset = Number(n);
      if (id !== p.JobId || !Number.isInteger(offset) || offset < 0 || offset > outcome.blocks.length) {
        throw awsError<typeof textract>('InvalidParameterException', 'Invalid NextToken');
      }
    }
    const max = Math.min(p.MaxResults ?? 1000, 1000);
    const end = offset + max;
    return {
      $metadata: {},
      JobStatus: 'SUCCEEDED',
      DocumentMetadata: { Pages: outcome.pages },
      Blocks: outcome.blocks.slice(offset, end),
      NextToken: end < outcome.blocks.length ? encodeToken(p.JobId, end) : undefined,
      Warnings: outcome.warnings.length ? outcome.warnings : undefined,
    };
  }
}
