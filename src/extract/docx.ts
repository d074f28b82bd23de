// Word documents via mammoth (CommonJS, no native code): the raw text of the body, paragraphs
// separated by blank lines. Formatting, headers/footers and embedded images are not extracted.
import { lazy } from '../lazy';
import { ExtractionError } from './types';

const mammoth = lazy(() => require('mammoth') as typeof import('mammoth'));

export interface DocxText {
  text: string;
  /** mammoth's warnings (unrecognised elements and the like). */
  warnings: string[];
}

export async function extractDocx(bytes: Uint8Array): Promise<DocxText> {
  try {
    const r = await mammoth().extractRawText({ buffer: Buffer.from(bytes) });
    return { text: r.value.replace(/\n{3,}/g, '\n\n').trim(), warnings: r.messages.map((m) => m.message) };
  } catch (err) {
    throw new ExtractionError(
      'corrupt',
      `the Word document cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
