export { type AnalyzeOptions, analyzeText, type TextAnalysis } from './analyze';
export {
  type LocalTranscript,
  type LocalTranscription,
  parseSidecar,
  parseSrt,
  parseVtt,
  runSttCommand,
  SIDECAR_EXTENSIONS,
  STT_ENV,
  type TranscriptSegment,
  transcribeLocal,
} from './audio';
export { collectBlocks, textFromBlocks } from './blocks';
export {
  COMPREHEND_BYTE_LIMITS,
  type ComprehendOperation,
  chunkText,
  detectInChunks,
  shiftOffsets,
  sliceCodePoints,
  type TextChunk,
} from './chunk';
export {
  type Classification,
  type ClassifyInput,
  classifyBytes,
  classifyObject,
  extensionOf,
  type Format,
  HEAD_BYTES,
  isSidecarKey,
  LIMITS,
  type ObjectKind,
  sniff,
} from './classify';
export { extractDocx } from './docx';
export { OcrEngine, ocrImage } from './ocr';
export { extractPdf } from './pdf';
export type { ComprehendPort, RekognitionPort, TextractPort, TranscribePort } from './ports';
export { decodeText, extractTextFile, htmlToText } from './text-file';
export type { ExtractedDocument, ExtractedLine, ExtractedPage, ExtractedWord } from './types';
export { ExtractionError } from './types';
