import {
  classifyBytes,
  classifyObject,
  extensionOf,
  HEAD_BYTES,
  isSidecarKey,
  LIMITS,
} from '../../src/extract/classify';
import { MemoryS3, sample } from './helpers';

const whole = (bytes: Buffer, key: string, contentType?: string) =>
  classifyBytes({ head: bytes, size: bytes.length, key, contentType });

function wavHeader(dataBytes: number, byteRate = 32000): Buffer {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(byteRate / 2, 24);
  b.writeUInt32LE(byteRate, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(dataBytes, 40);
  return b;
}

function jpegHeader(width: number, height: number): Buffer {
  // SOI, APP0 (JFIF, 16 bytes), SOF0 with the frame size.
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(12)]);
}

describe('classifyBytes', () => {
  it.each([
    ['customer-record.pdf', 'document', 'pdf'],
    ['invoice-scan.png', 'image', 'png'],
    ['quarterly-notes.txt', 'text', 'txt'],
    ['meeting-notes.docx', 'text', 'docx'],
    ['support-call.wav', 'audio', 'wav'],
    ['unknown.bin', 'unsupported', 'unknown'],
  ])('classifies the sample %s as %s/%s', (name, kind, format) => {
    const c = whole(sample(name), name);
    expect(c).toMatchObject({ kind, format });
    expect(c.mismatch).toBeUndefined();
  });

  it('reads PNG dimensions and WAV duration from headers', () => {
    expect(whole(sample('invoice-scan.png'), 'a.png')).toMatchObject({ width: 900, height: 284 });
    expect(whole(sample('support-call.wav'), 'a.wav').durationSeconds).toBeCloseTo(0.4, 3);
  });

  it('lets content win over a lying extension and records the mismatch', () => {
    const png = sample('bad/photo-not-a.pdf');
    expect(whole(png, 'photo-not-a.pdf')).toMatchObject({
      kind: 'image',
      format: 'png',
      mismatch: 'extension .pdf says pdf but the content is png',
    });
    expect(whole(sample('customer-record.pdf'), 'report.png')).toMatchObject({
      kind: 'document',
      format: 'pdf',
    });
    expect(whole(Buffer.from('just some words\n'), 'scan.pdf')).toMatchObject({
      kind: 'text',
      format: 'txt',
      mismatch: 'extension .pdf says pdf but the content is text',
    });
    expect(whole(sample('unknown.bin'), 'song.mp3')).toMatchObject({
      kind: 'unsupported',
      format: 'unknown',
      mismatch: 'extension .mp3 says mp3 but the content has no mp3 signature',
    });
  });

  it('uses Content-Type when there is no extension and reports its disagreement', () => {
    expect(whole(sample('support-call.wav'), 'upload', 'image/png')).toMatchObject({
      kind: 'audio',
      format: 'wav',
      mismatch: 'Content-Type image/png says png but the content is wav',
    });
    expect(whole(Buffer.from('a,b\n1,2\n'), 'upload', 'text/csv; charset=utf-8')).toMatchObject({
      format: 'csv',
    });
  });

  it('names text formats from the extension and sniffs JSON/HTML otherwise', () => {
    expect(whole(Buffer.from('# Title\n'), 'README.md').format).toBe('md');
    expect(whole(Buffer.from('a,b\n1,2\n'), 'x.csv').format).toBe('csv');
    expect(whole(Buffer.from('{"a": 1}'), 'blob').format).toBe('json');
    expect(whole(Buffer.from('<!DOCTYPE html><p>x</p>'), 'page').format).toBe('html');
    expect(whole(Buffer.from('Café ☕ 😀 naïve', 'utf8'), 'notes').format).toBe('txt');
  });

  it('records a zero-byte object as unsupported with the reason', () => {
    expect(whole(Buffer.alloc(0), 'empty.txt')).toEqual({
      kind: 'unsupported',
      format: 'txt',
      size: 0,
      reason: 'empty object (0 bytes)',
    });
  });

  it('rejects images over Textract limits: 10000 px per side and 10 MB', () => {
    const huge = whole(sample('bad/huge-dimensions.png'), 'huge.png');
    expect(huge).toMatchObject({
      kind: 'unsupported',
      detectedKind: 'image',
      format: 'png',
      width: 20000,
      height: 100,
    });
    expect(huge.reason).toContain('at most 10000 px per side');
    const jpeg = jpegHeader(12000, 800);
    expect(whole(jpeg, 'big.jpg')).toMatchObject({
      kind: 'unsupported',
      format: 'jpeg',
      width: 12000,
      height: 800,
    });
    expect(whole(jpegHeader(800, 600), 'ok.jpg')).toMatchObject({ kind: 'image', width: 800, height: 600 });
    const heavy = classifyBytes({
      head: sample('invoice-scan.png'),
      size: LIMITS.textractImageBytes + 1,
      key: 'x.png',
    });
    expect(heavy.reason).toContain('Textract accepts JPEG/PNG up to 10 MB');
  });

  it('rejects audio longer than 4 hours and media over 2 GB', () => {
    const long = wavHeader(32000 * (4 * 3600 + 1));
    const c = classifyBytes({ head: long, size: 32000 * (4 * 3600 + 1) + 44, key: 'long.wav' });
    expect(c).toMatchObject({ kind: 'unsupported', detectedKind: 'audio', format: 'wav' });
    expect(c.reason).toContain('Transcribe accepts up to 4 h');
    const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(100)]);
    expect(classifyBytes({ head: mp3, size: 3 * 1024 ** 3, key: 'x.mp3' }).reason).toContain('up to 2 GB');
  });

  it('recognises the audio containers Transcribe accepts', () => {
    const ftyp = (brand: string) =>
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}`), Buffer.alloc(16)]);
    expect(whole(ftyp('M4A '), 'a.m4a').format).toBe('m4a');
    expect(whole(ftyp('isom'), 'a.mp4').format).toBe('mp4');
    expect(whole(ftyp('qt  '), 'a.mov').kind).toBe('unsupported');
    expect(whole(Buffer.from('OggS\0\x02'), 'a.ogg').format).toBe('ogg');
    expect(whole(Buffer.from('#!AMR\n'), 'a.amr').format).toBe('amr');
    expect(whole(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0]), 'a.mp3').format).toBe('mp3');
    expect(
      whole(Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('....webm')]), 'a.webm').format,
    ).toBe('webm');
  });

  it('tells a Word document from other zips', () => {
    const docx = sample('meeting-notes.docx');
    expect(whole(docx, 'notes.zip')).toMatchObject({ kind: 'text', format: 'docx' });
    const xlsx = Buffer.from(docx.toString('latin1').replace(/word\//g, 'xl/aa'), 'latin1');
    expect(whole(xlsx, 'a.xlsx')).toMatchObject({ kind: 'unsupported', format: 'ooxml' });
    const zip = Buffer.from(
      xlsx.toString('latin1').replace(/\[Content_Types\]/g, '[Content_Typez]'),
      'latin1',
    );
    expect(whole(zip, 'a.zip')).toMatchObject({ kind: 'unsupported', format: 'zip' });
  });

  it('extension helpers', () => {
    expect(extensionOf('a/b/My File.PDF')).toBe('pdf');
    expect(extensionOf('a/.hidden')).toBeUndefined();
    expect(isSidecarKey('calls/2024/call one.wav.vtt')).toBe(true);
    expect(isSidecarKey('notes.txt')).toBe(false);
    expect(isSidecarKey('report.pdf.txt')).toBe(false);
  });
});

describe('classifyObject', () => {
  it('reads only a ranged head (and a tail for large zips) through the S3 port', async () => {
    const s3 = new MemoryS3();
    const big = Buffer.concat([sample('invoice-scan.png'), Buffer.alloc(HEAD_BYTES * 2)]);
    s3.put('raw', 'scans/ünïcode key.png', big, 'image/png');
    const c = await classifyObject(s3, { bucket: 'raw', key: 'scans/ünïcode key.png' });
    expect(c).toMatchObject({ kind: 'image', format: 'png', size: big.length });
    expect(s3.ranges).toEqual([`bytes=0-${HEAD_BYTES - 1}`]);

    // A docx whose word/ entries are past the head: the central directory in the tail decides.
    const docx = sample('meeting-notes.docx');
    const padded = Buffer.concat([docx.subarray(0, 60), Buffer.alloc(HEAD_BYTES), docx.subarray(60)]);
    s3.put('raw', 'padded.docx', padded);
    const d = await classifyObject(s3, { bucket: 'raw', key: 'padded.docx' });
    expect(d.format).toBe('docx');
    expect(s3.ranges.at(-1)).toBe('bytes=-65536');
  });

  it('classifies an empty object without reading it', async () => {
    const s3 = new MemoryS3();
    s3.put('raw', 'empty.txt', Buffer.alloc(0));
    expect(await classifyObject(s3, { bucket: 'raw', key: 'empty.txt' })).toMatchObject({
      kind: 'unsupported',
      reason: 'empty object (0 bytes)',
    });
    expect(s3.ranges).toEqual([]);
  });
});
