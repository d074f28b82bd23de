// OCR with tesseract.js, fully offline: the WebAssembly core comes from tesseract.js-core and the
// English model from @tesseract.js-data/eng inside node_modules (never the CDN tesseract.js falls
// back to when langPath is unset), and nothing is cached to disk.
import { dirname, join } from 'node:path';
import type { Bbox, Worker } from 'tesseract.js';
import { lazy } from '../lazy';
import { sniff } from './classify';
import { type Box, documentText, type ExtractedDocument, type ExtractedLine, ExtractionError } from './types';

const tesseract = lazy(() => require('tesseract.js') as typeof import('tesseract.js'));

/** The LSTM-only integer model (smaller and faster than the legacy+LSTM one in 4.0.0/). */
export function englishModelPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/** A tesseract.js worker; create once for many images, always `terminate()` it. */
export class OcrEngine {
  private constructor(private readonly worker: Worker) {}

  static async create(): Promise<OcrEngine> {
    const { createWorker, OEM } = tesseract();
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      langPath: englishModelPath(),
      gzip: true,
      cacheMethod: 'none',
      // Without a handler tesseract.js logs worker errors itself; recognize() still rejects.
      errorHandler: () => undefined,
    });
    return new OcrEngine(worker);
  }

  /** Text of one image (PNG, JPEG; the first page of a TIFF) with line/word geometry. */
  async recognize(bytes: Uint8Array): Promise<ExtractedDocument> {
    const header = sniff(bytes);
    if (!header || !['png', 'jpeg', 'tiff'].includes(header.format)) {
      throw new ExtractionError('unsupported', 'OCR reads PNG, JPEG and TIFF images only');
    }
    let data: Awaited<ReturnType<Worker['recognize']>>['data'];
    try {
      ({ data } = await this.worker.recognize(Buffer.from(bytes), {}, { text: true, blocks: true }));
    } catch (err) {
      throw new ExtractionError(
        'corrupt',
        `the image cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    // Geometry is relative to the image; TIFF headers are not parsed, so fall back to the text extent.
    const width = header.width ?? Math.max(1, ...lines.map((l) => l.bbox.x1));
    const height = header.height ?? Math.max(1, ...lines.map((l) => l.bbox.y1));
    const box = (b: Bbox): Box => ({
      Left: b.x0 / width,
      Top: b.y0 / height,
      Width: (b.x1 - b.x0) / width,
      Height: (b.y1 - b.y0) / height,
    });
    const out: ExtractedLine[] = lines
      .map((l) => ({
        words: l.words
          .filter((w) => w.text.trim())
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence, geometry: box(w.bbox) })),
        confidence: l.confidence,
        geometry: box(l.bbox),
      }))
      .filter((l) => l.words.length)
      .map((l) => ({ ...l, text: l.words.map((w) => w.text).join(' ') }));
    const pages = [{ pageNumber: 1, lines: out }];
    return { source: 'ocr', pages, text: documentText(pages), emptyPages: out.length ? [] : [1] };
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/** One-shot OCR: starts a worker, recognises, and always terminates it. */
export async function ocrImage(bytes: Uint8Array): Promise<ExtractedDocument> {
  const engine = await OcrEngine.create();
  try {
    return await engine.recognize(bytes);
  } finally {
    await engine.terminate();
  }
}
