// Classifies an object by what its bytes are, not what its name says: magic bytes first, then the
// extension, then Content-Type. The result routes the object (Textract, Transcribe, Comprehend or
// nothing) and carries the reason whenever it cannot be processed.
import type { S3Port } from '../aws/ports';

export type ObjectKind = 'document' | 'image' | 'audio' | 'text' | 'unsupported';

export type DocumentFormat = 'pdf' | 'tiff';
export type ImageFormat = 'png' | 'jpeg';
export type AudioFormat = 'mp3' | 'mp4' | 'wav' | 'flac' | 'ogg' | 'webm' | 'm4a' | 'amr';
export type TextFormat = 'txt' | 'md' | 'csv' | 'html' | 'json' | 'docx';
/** Formats recognised only to say precisely why they are not supported. */
export type OtherFormat =
  | 'gif'
  | 'bmp'
  | 'webp'
  | 'zip'
  | 'ooxml'
  | 'gzip'
  | 'ole2'
  | 'mov'
  | 'matroska'
  | 'unknown';
export type Format = DocumentFormat | ImageFormat | AudioFormat | TextFormat | OtherFormat;

export interface Classification {
  /** Where the object goes; `unsupported` whenever it cannot be processed (see `reason`). */
  kind: ObjectKind;
  format: Format;
  /** What the format would be routed to when limits made it `unsupported`. */
  detectedKind?: Exclude<ObjectKind, 'unsupported'>;
  /** Why the object is `unsupported` (empty, unknown format, over a service limit). */
  reason?: string;
  /** Set when the extension or Content-Type disagrees with the content; the content wins. */
  mismatch?: string;
  size: number;
  width?: number;
  height?: number;
  durationSeconds?: number;
}

/** Service limits that decide whether an object can be sent at all. */
export const LIMITS = {
  /** Textract asynchronous operations: JPEG/PNG. */
  textractImageBytes: 10 * 1024 * 1024,
  /** Textract asynchronous operations: PDF/TIFF. */
  textractDocumentBytes: 500 * 1024 * 1024,
  /** Textract: maximum width or height in pixels. */
  textractMaxPixels: 10000,
  /** Transcribe batch jobs. */
  transcribeBytes: 2 * 1024 * 1024 * 1024,
  transcribeSeconds: 4 * 60 * 60,
  /** Comprehend real-time calls; longer text is chunked (see chunk.ts), not rejected. */
  comprehendBytes: 100 * 1024,
  /**
   * Text objects (txt, md, csv, html, json, docx): extractText reads one whole into its 1024 MB, and
   * analyzeText sends it to Comprehend in 100 KB chunks within its 900 s: 10 MB is 100 chunks.
   */
  textBytes: 10 * 1024 * 1024,
} as const;

/** How many leading bytes classification reads (a ranged GET). */
export const HEAD_BYTES = 64 * 1024;
/** How many trailing bytes are read for zip central directories. */
export const TAIL_BYTES = 64 * 1024;

const KIND: Record<Format, ObjectKind> = {
  pdf: 'document',
  tiff: 'document',
  png: 'image',
  jpeg: 'image',
  mp3: 'audio',
  mp4: 'audio',
  wav: 'audio',
  flac: 'audio',
  ogg: 'audio',
  webm: 'audio',
  m4a: 'audio',
  amr: 'audio',
  txt: 'text',
  md: 'text',
  csv: 'text',
  html: 'text',
  json: 'text',
  docx: 'text',
  gif: 'unsupported',
  bmp: 'unsupported',
  webp: 'unsupported',
  zip: 'unsupported',
  ooxml: 'unsupported',
  gzip: 'unsupported',
  ole2: 'unsupported',
  mov: 'unsupported',
  matroska: 'unsupported',
  unknown: 'unsupported',
};

const EXTENSIONS: Record<string, Format> = {
  pdf: 'pdf',
  tif: 'tiff',
  tiff: 'tiff',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  mp3: 'mp3',
  mp4: 'mp4',
  m4v: 'mp4',
  wav: 'wav',
  flac: 'flac',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  webm: 'webm',
  m4a: 'm4a',
  amr: 'amr',
  txt: 'txt',
  text: 'txt',
  log: 'txt',
  md: 'md',
  markdown: 'md',
  csv: 'csv',
  html: 'html',
  htm: 'html',
  json: 'json',
  docx: 'docx',
  gif: 'gif',
  bmp: 'bmp',
  webp: 'webp',
  zip: 'zip',
  xlsx: 'ooxml',
  pptx: 'ooxml',
  gz: 'gzip',
  doc: 'ole2',
  xls: 'ole2',
  mov: 'mov',
  mkv: 'matroska',
};

const CONTENT_TYPES: Record<string, Format> = {
  'application/pdf': 'pdf',
  'image/tiff': 'tiff',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'video/webm': 'webm',
  'audio/amr': 'amr',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/json': 'json',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

const TEXT_FORMATS = new Set<Format>(['txt', 'md', 'csv', 'html', 'json']);

const ascii = (b: Uint8Array, start: number, end: number) =>
  Buffer.from(b.subarray(start, end)).toString('latin1');
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** The extension of the last path segment, lower-cased, without the dot. */
export function extensionOf(key: string): string | undefined {
  const name = key.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** Sidecar transcripts (`call.wav.txt`, `.vtt`, `.srt`) belong to their audio object, not to ingestion. */
export function isSidecarKey(key: string): boolean {
  const m = /\.([a-z0-9]+)\.(txt|vtt|srt)$/i.exec(key);
  return !!m && KIND[EXTENSIONS[m[1]!.toLowerCase()] ?? 'unknown'] === 'audio';
}

interface Sniffed {
  format: Format;
  width?: number;
  height?: number;
  durationSeconds?: number;
}

function pngSize(b: Uint8Array): Pick<Sniffed, 'width' | 'height'> {
  if (b.length < 24 || ascii(b, 12, 16) !== 'IHDR') return {};
  const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { width: v.readUInt32BE(16), height: v.readUInt32BE(20) };
}

/** Walks JPEG markers to the first SOFn frame header (width/height); undefined if not in `b`. */
function jpegSize(b: Uint8Array): Pick<Sniffed, 'width' | 'height'> {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return {};
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    i += 2 + len;
  }
  return {};
}

/** WAV duration from the fmt byte rate and the data chunk size. */
function wavDuration(b: Uint8Array): number | undefined {
  const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let byteRate = 0;
  let i = 12;
  while (i + 8 <= b.length) {
    const id = ascii(b, i, i + 4);
    const size = v.readUInt32LE(i + 4);
    if (id === 'fmt ' && i + 16 <= b.length) byteRate = v.readUInt32LE(i + 16);
    if (id === 'data') return byteRate > 0 ? size / byteRate : undefined;
    i += 8 + size + (size % 2);
  }
  return undefined;
}

/** FLAC duration from STREAMINFO (sample rate, total samples). */
function flacDuration(b: Uint8Array): number | undefined {
  if (b.length < 26) return undefined;
  // STREAMINFO data starts at 8: rate is 20 bits at bit offset 80, total samples 36 bits at 108.
  const d = 8;
  const rate = (b[d + 10]! << 12) | (b[d + 11]! << 4) | (b[d + 12]! >> 4);
  const total =
    (b[d + 13]! & 0x0f) * 2 ** 32 +
    ((b[d + 14]! << 24) >>> 0) +
    (b[d + 15]! << 16) +
    (b[d + 16]! << 8) +
    b[d + 17]!;
  return rate > 0 && total > 0 ? total / rate : undefined;
}

/** Zip entry names from local headers in `head` and the central directory in `tail`. */
function zipEntryNames(head: Uint8Array, tail?: Uint8Array): string[] {
  const names = new Set<string>();
  const scan = (
    b: Uint8Array,
    sig: number,
    nameLenAt: number,
    nameAt: number,
    extraLenAt: number,
    commentLenAt?: number,
  ) => {
    const v = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i + nameAt <= b.length; i++) {
      if (v.readUInt32LE(i) !== sig) continue;
      const nameLen = v.readUInt16LE(i + nameLenAt);
      if (i + nameAt + nameLen > b.length) break;
      names.add(v.toString('utf8', i + nameAt, i + nameAt + nameLen));
      const skip =
        nameAt +
        nameLen +
        v.readUInt16LE(i + extraLenAt) +
        (commentLenAt ? v.readUInt16LE(i + commentLenAt) : 0);
      i += skip - 1;
    }
  };
  scan(head, 0x04034b50, 26, 30, 28);
  if (tail) scan(tail, 0x02014b50, 28, 46, 30, 32);
  return [...names];
}

function sniffZip(head: Uint8Array, tail?: Uint8Array): Format {
  const names = zipEntryNames(head, tail);
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.includes('[Content_Types].xml')) return 'ooxml';
  return 'zip';
}

/** Valid UTF-8 (a multi-byte sequence cut by the end of the ranged read is fine) and no NULs. */
function looksLikeText(b: Uint8Array, truncated: boolean): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return true;
  let end = b.length;
  if (truncated) {
    // Drop a trailing partial code point.
    let k = end - 1;
    while (k >= 0 && k > end - 4 && (b[k]! & 0xc0) === 0x80) k--;
    if (k >= 0 && b[k]! >= 0xc0) end = k;
  }
  const slice = b.subarray(0, end);
  if (slice.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(slice);
  } catch {
    return false;
  }
  // Control characters other than tab/newline/CR/FF/ESC are a sign of binary data.
  let control = 0;
  for (const c of slice) if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  return control <= slice.length / 100;
}

function sniffText(head: Uint8Array): Format {
  const s = Buffer.from(head.subarray(0, 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<!doctype html|^<html[\s>]/i.test(s)) return 'html';
  if (/^[[{]/.test(s)) return 'json';
  return 'txt';
}

/** Format from magic bytes, with dimensions/duration read from headers where cheap. */
export function sniff(
  head: Uint8Array,
  opts: { tail?: Uint8Array; truncated?: boolean } = {},
): Sniffed | undefined {
  const b = head;
  if (ascii(b, 0, Math.min(b.length, 1024)).includes('%PDF-')) return { format: 'pdf' };
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]))
    return { format: 'tiff' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { format: 'png', ...pngSize(b) };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { format: 'jpeg', ...jpegSize(b) };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE')
    return { format: 'wav', durationSeconds: wavDuration(b) };
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { format: 'webp' };
  if (ascii(b, 0, 4) === 'fLaC') return { format: 'flac', durationSeconds: flacDuration(b) };
  if (ascii(b, 0, 4) === 'OggS') return { format: 'ogg' };
  if (ascii(b, 0, 5) === '#!AMR') return { format: 'amr' };
  if (ascii(b, 0, 3) === 'ID3') return { format: 'mp3' };
  // MPEG audio frame sync; layer bits 00 are reserved (and used by AAC ADTS, which is not MP3).
  if (b[0] === 0xff && b.length > 1 && (b[1]! & 0xe0) === 0xe0 && ((b[1]! >> 1) & 3) !== 0)
    return { format: 'mp3' };
  if (ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return { format: 'm4a' };
    if (brand === 'qt  ') return { format: 'mov' };
    return { format: 'mp4' };
  }
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    return { format: ascii(b, 0, Math.min(b.length, 64)).includes('webm') ? 'webm' : 'matroska' };
  }
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return { format: sniffZip(b, opts.tail) };
  if (ascii(b, 0, 4) === 'GIF8') return { format: 'gif' };
  if (ascii(b, 0, 2) === 'BM' && b.length >= 14) return { format: 'bmp' };
  if (startsWith(b, [0x1f, 0x8b])) return { format: 'gzip' };
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { format: 'ole2' };
  if (b.length > 0 && looksLikeText(b, opts.truncated ?? false)) return { format: sniffText(b) };
  return undefined;
}

export interface ClassifyInput {
  /** The first bytes of the object (up to HEAD_BYTES). */
  head: Uint8Array;
  /** Total object size in bytes. */
  size: number;
  key?: string;
  contentType?: string;
  /** The last bytes (zip central directory), when the head does not hold the whole object. */
  tail?: Uint8Array;
}

const fmtBytes = (n: number) =>
  n >= 1024 * 1024 * 1024
    ? `${(n / 1024 ** 3).toFixed(1)} GB`
    : n >= 1024 * 1024
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : `${n} bytes`;

/** Service limits for a classified object, as a reason string when one is exceeded. */
function limitReason(c: Classification): string | undefined {
  switch (c.format) {
    case 'png':
    case 'jpeg':
      if (c.size > LIMITS.textractImageBytes) {
        return `image is ${fmtBytes(c.size)}; Textract accepts JPEG/PNG up to 10 MB`;
      }
      if ((c.width ?? 0) > LIMITS.textractMaxPixels || (c.height ?? 0) > LIMITS.textractMaxPixels) {
        return `image is ${c.width}×${c.height} px; Textract accepts at most ${LIMITS.textractMaxPixels} px per side`;
      }
      return undefined;
    case 'pdf':
    case 'tiff':
      return c.size > LIMITS.textractDocumentBytes
        ? `document is ${fmtBytes(c.size)}; Textract accepts PDF/TIFF up to 500 MB`
        : undefined;
    default:
      if (c.detectedKind === 'text' && c.size > LIMITS.textBytes)
        return `text object is ${fmtBytes(c.size)}; at most 10 MB of text is extracted and analysed`;
      if (c.detectedKind !== 'audio') return undefined;
      if (c.size > LIMITS.transcribeBytes)
        return `media is ${fmtBytes(c.size)}; Transcribe accepts up to 2 GB`;
      if ((c.durationSeconds ?? 0) > LIMITS.transcribeSeconds) {
        return `media is ${(c.durationSeconds! / 3600).toFixed(2)} h long; Transcribe accepts up to 4 h`;
      }
      return undefined;
  }
}

/** Classifies from bytes already read; pure. */
export function classifyBytes(input: ClassifyInput): Classification {
  const { head, size } = input;
  const ext = input.key ? extensionOf(input.key) : undefined;
  const byExt = ext ? EXTENSIONS[ext] : undefined;
  const ct = input.contentType?.split(';')[0]?.trim().toLowerCase();
  const byCt = ct ? CONTENT_TYPES[ct] : undefined;
  if (size === 0) {
    return {
      kind: 'unsupported',
      format: byExt ?? byCt ?? 'unknown',
      size,
      reason: 'empty object (0 bytes)',
    };
  }
  // A head holding the whole object also holds the zip central directory.
  const tail = input.tail ?? (head.length >= size ? head : undefined);
  const sniffed = sniff(head, { tail, truncated: head.length < size });
  let format: Format;
  let mismatch: string | undefined;
  if (!sniffed) {
    format = 'unknown';
    if (byExt && byExt !== 'unknown')
      mismatch = `extension .${ext} says ${byExt} but the content has no ${byExt} signature`;
  } else if (TEXT_FORMATS.has(sniffed.format)) {
    // Bytes only say "text" (or json/html from a leading character); the name says which text.
    const named = byExt ?? byCt;
    if (named && TEXT_FORMATS.has(named)) format = named;
    else {
      format = sniffed.format;
      if (byExt) mismatch = `extension .${ext} says ${byExt} but the content is text`;
    }
  } else {
    format = sniffed.format;
    if (
      byExt &&
      byExt !== format &&
      !(byExt === 'mp4' && format === 'm4a') &&
      !(byExt === 'm4a' && format === 'mp4')
    ) {
      mismatch = `extension .${ext} says ${byExt} but the content is ${format}`;
    }
  }
  if (!mismatch && !byExt && byCt && sniffed && byCt !== format && !TEXT_FORMATS.has(format)) {
    mismatch = `Content-Type ${ct} says ${byCt} but the content is ${format}`;
  }
  const c: Classification = { kind: KIND[format], format, size };
  if (sniffed?.width !== undefined) c.width = sniffed.width;
  if (sniffed?.height !== undefined) c.height = sniffed.height;
  if (sniffed?.durationSeconds !== undefined) c.durationSeconds = sniffed.durationSeconds;
  if (mismatch) c.mismatch = mismatch;
  if (c.kind === 'unsupported') {
    c.reason =
      format === 'unknown'
        ? 'unknown format: no known signature and not UTF-8 text'
        : format === 'ooxml'
          ? 'Office Open XML package that is not a Word document (xlsx/pptx are not supported)'
          : `${format} is not a supported format`;
    return c;
  }
  c.detectedKind = c.kind;
  const over = limitReason(c);
  if (over) {
    c.kind = 'unsupported';
    c.reason = over;
  }
  return c;
}

async function readBody(body: unknown): Promise<Uint8Array> {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) return new Uint8Array();
  return b.transformToByteArray();
}

/** Classifies an S3 object with a HEAD and ranged GETs (never the whole object). */
export async function classifyObject(
  s3: S3Port,
  loc: { bucket: string; key: string; versionId?: string },
): Promise<Classification> {
  const head = await s3.headObject({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.versionId });
  const size = head.ContentLength ?? 0;
  const base = { key: loc.key, contentType: head.ContentType, size };
  if (size === 0) return classifyBytes({ ...base, head: new Uint8Array() });
  const first = await s3.getObject({
    Bucket: loc.bucket,
    Key: loc.key,
    VersionId: loc.versionId,
    Range: `bytes=0-${HEAD_BYTES - 1}`,
  });
  const bytes = await readBody(first.Body);
  let tail: Uint8Array | undefined;
  if (size > bytes.length && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const last = await s3.getObject({
      Bucket: loc.bucket,
      Key: loc.key,
      VersionId: loc.versionId,
      Range: `bytes=-${TAIL_BYTES}`,
    });
    tail = await readBody(last.Body);
  }
  return classifyBytes({ ...base, head: bytes, tail });
}
