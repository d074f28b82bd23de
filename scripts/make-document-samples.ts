// Writes the unstructured-file samples (deterministic; re-run to regenerate samples/documents/).
// `npx tsx scripts/make-document-samples.ts`. The PNG needs a TrueType font: DejaVu Sans from the
// system (fonts-dejavu-core) or a path in AUTOGOV_SAMPLE_FONT. The outputs are committed, so
// nothing at test or run time depends on the font or on pureimage.
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as PImage from 'pureimage';

const out = join(__dirname, '..', 'samples', 'documents');
const bad = join(out, 'bad');

/** A minimal PDF 1.4 with a real text layer (Helvetica, one text line per Tj), one page per entry. */
export function makePdf(pages: string[][], opts: { encrypt?: boolean } = {}): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // 1-based object numbers
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const lines of pages) {
    const ops = lines.map((l, i) => `BT /F1 14 Tf 72 ${720 - i * 22} Td (${esc(l)}) Tj ET`).join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] =
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let encryptRef = '';
  if (opts.encrypt) {
    // Standard security handler, RC4 40-bit. /U is not derived from the empty password, so a reader
    // must ask for one: exactly what a password-protected upload looks like to an extractor.
    const hex32 = (seed: number) =>
      Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
    const enc = add(`<< /Filter /Standard /V 1 /R 2 /O <${hex32(11)}> /U <${hex32(97)}> /P -44 >>`);
    encryptRef = ` /Encrypt ${enc} 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]`;
  }
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A stored (uncompressed) zip: enough for docx readers, no zip library needed. */
export function makeZip(entries: Array<[name: string, data: string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function makeDocx(paragraphs: string[]): Buffer {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${x(p)}</w:t></w:r></w:p>`)
    .join('');
  return makeZip([
    [
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ],
    [
      'word/document.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    ],
  ]);
}

/** 16 kHz mono 16-bit PCM: a short 440 Hz tone (no speech: the sidecar carries the words). */
function makeWav(ms: number): Buffer {
  const rate = 16000;
  const samples = Math.round((rate * ms) / 1000);
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    b.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), 44 + i * 2);
  }
  return b;
}

/** Only an IHDR claiming the given size: classification reads dimensions from the header alone. */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const chunk = Buffer.concat([Buffer.from('IHDR', 'ascii'), ihdr]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(chunk));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, chunk, crc]);
}

async function makePng(path: string, lines: string[]): Promise<void> {
  const font = process.env.AUTOGOV_SAMPLE_FONT ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  if (!existsSync(font)) throw new Error(`no TrueType font at ${font}: set AUTOGOV_SAMPLE_FONT`);
  PImage.registerFont(font, 'SampleSans').loadSync();
  const img = PImage.make(900, 60 + lines.length * 56);
  const ctx = img.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, img.width, img.height);
  ctx.fillStyle = '#000000';
  ctx.font = '34px SampleSans';
  for (const [i, l] of lines.entries()) ctx.fillText(l, 30, 70 + i * 56);
  await PImage.encodePNGToStream(img, createWriteStream(path));
}

async function main(): Promise<void> {
  mkdirSync(bad, { recursive: true });
  const pdf = makePdf([
    ['Customer record', 'Name: Olivia Bennett', 'Email: olivia.bennett@example.com', 'Branch: Seattle'],
    ['Notes', 'The customer asked for a paper copy of the contract.'],
  ]);
  writeFileSync(join(out, 'customer-record.pdf'), pdf);
  await makePng(join(out, 'invoice-scan.png'), [
    'INVOICE 2024-117',
    'Billed to: Liam Carter',
    'Email: liam.carter@example.net',
    'Amount due: 420.00 USD',
  ]);
  writeFileSync(
    join(out, 'quarterly-notes.txt'),
    'The quarterly report shows steady growth in the northern region. ' +
      'Shipping times improved after the new warehouse opened, and customer satisfaction is high. ' +
      'The team will review pricing for the premium plan next month.\n',
  );
  writeFileSync(
    join(out, 'meeting-notes.docx'),
    makeDocx([
      'Meeting notes',
      'Attendee: Emma Rodriguez (emma.rodriguez@example.org)',
      'We agreed to move the launch to March and to hire two more engineers.',
    ]),
  );
  writeFileSync(join(out, 'support-call.wav'), makeWav(400));
  writeFileSync(
    join(out, 'support-call.wav.txt'),
    'Hello, this is Noah Patel. I am calling about my order, you can reach me at noah.patel@example.com.\n',
  );
  // Deterministic bytes with no known signature.
  writeFileSync(
    join(out, 'unknown.bin'),
    Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 131 + 7) & 0xff)),
  );

  writeFileSync(join(bad, 'empty.txt'), Buffer.alloc(0));
  writeFileSync(
    join(bad, 'corrupt.pdf'),
    Buffer.concat([pdf.subarray(0, 40), Buffer.from('\0garbage\n%%EOF\n')]),
  );
  writeFileSync(
    join(bad, 'encrypted.pdf'),
    makePdf([['Secret: Ava Thompson', 'ava.thompson@example.com']], { encrypt: true }),
  );
  writeFileSync(join(bad, 'huge-dimensions.png'), pngHeader(20000, 100));
  // A PDF extension on PNG bytes: content wins, the mismatch is recorded.
  writeFileSync(join(bad, 'photo-not-a.pdf'), pngHeader(640, 480));
  writeFileSync(
    join(bad, 'german-notes.txt'),
    'Sehr geehrte Damen und Herren, wir bestätigen den Eingang Ihrer Bestellung und danken Ihnen für Ihr Vertrauen.\n',
  );
  console.log(`wrote ${out}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
