// The layout every local document engine produces (PDF text layer, OCR); the Textract emulator turns
// it into PAGE/LINE/WORD blocks. Geometry is Textract's: ratios of the page, top-left origin.

export interface Box {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

/** A box as Textract and Rekognition report geometry: the box and its four corners, clockwise. */
export const geometryOf = (b: Box) => ({
  BoundingBox: b,
  Polygon: [
    { X: b.Left, Y: b.Top },
    { X: b.Left + b.Width, Y: b.Top },
    { X: b.Left + b.Width, Y: b.Top + b.Height },
    { X: b.Left, Y: b.Top + b.Height },
  ],
});

export interface ExtractedWord {
  text: string;
  /** 0–100, as Textract reports. */
  confidence: number;
  geometry: Box;
}

export interface ExtractedLine {
  text: string;
  confidence: number;
  geometry: Box;
  words: ExtractedWord[];
}

export interface ExtractedPage {
  pageNumber: number;
  lines: ExtractedLine[];
}

export interface ExtractedDocument {
  /** `pdf-text-layer`: text drawn in the PDF (exact, confidence 100); `ocr`: tesseract.js. */
  source: 'pdf-text-layer' | 'ocr';
  pages: ExtractedPage[];
  /** Page texts joined with a blank line; lines joined with newlines. */
  text: string;
  /** Pages with no extractable text (e.g. scanned pages of a PDF, which are not OCR'd locally). */
  emptyPages: number[];
}

/** Why a local engine could not extract: the emulators turn it into a FAILED job with this message. */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  constructor(
    readonly code: 'corrupt' | 'encrypted' | 'unsupported' | 'unavailable' | 'failed' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

export const documentText = (pages: ExtractedPage[]): string =>
  pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n\n');
