// PDF text layer via unpdf (pdf.js), run in a worker thread (see pdf-worker.mjs for why).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { documentText, type ExtractedDocument, ExtractionError } from './types';

const boxSchema = z.object({ Left: z.number(), Top: z.number(), Width: z.number(), Height: z.number() });
const replySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    pages: z.array(
      z.object({
        pageNumber: z.number().int(),
        lines: z.array(
          z.object({
            text: z.string(),
            geometry: boxSchema,
            words: z.array(z.object({ text: z.string(), geometry: boxSchema })),
          }),
        ),
      }),
    ),
  }),
  z.object({ ok: z.literal(false), name: z.string(), message: z.string() }),
]);

export interface PdfOptions {
  /** Give up (and kill the worker) after this long; default 120 s. */
  timeoutMs?: number;
}

/**
 * Text of every page of a PDF with line/word geometry. Throws ExtractionError 'encrypted' for
 * password-protected files (Textract rejects those too) and 'corrupt' for unreadable ones.
 * Pages without a text layer come back empty and are listed in `emptyPages`: local OCR of
 * scanned PDF pages would need a PDF rasteriser, which is not installed.
 */
export async function extractPdf(bytes: Uint8Array, opts: PdfOptions = {}): Promise<ExtractedDocument> {
  const copy = new Uint8Array(bytes); // transferred to the worker
  const worker = new Worker(join(__dirname, 'pdf-worker.mjs'), {
    workerData: { bytes: copy },
    transferList: [copy.buffer],
  });
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new ExtractionError('timeout', `PDF text extraction took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PDF worker exited with code ${code} before replying`)));
    });
    const r = replySchema.parse(reply);
    if (!r.ok) {
      if (r.name === 'PasswordException') {
        throw new ExtractionError(
          'encrypted',
          'the PDF is encrypted (password protected); its text cannot be extracted',
        );
      }
      throw new ExtractionError('corrupt', `the PDF cannot be read: ${r.message}`);
    }
    const pages = r.pages.map((p) => ({
      pageNumber: p.pageNumber,
      lines: p.lines.map((l) => ({
        text: l.text,
        confidence: 100,
        geometry: l.geometry,
        words: l.words.map((w) => ({ text: w.text, confidence: 100, geometry: w.geometry })),
      })),
    }));
    return {
      source: 'pdf-text-layer',
      pages,
      text: documentText(pages),
      emptyPages: pages.filter((p) => p.lines.length === 0).map((p) => p.pageNumber),
    };
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
