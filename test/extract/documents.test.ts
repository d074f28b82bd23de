import { extractDocx } from '../../src/extract/docx';
import { ocrImage } from '../../src/extract/ocr';
import { extractPdf } from '../../src/extract/pdf';
import { decodeText, extractTextFile, htmlToText } from '../../src/extract/text-file';
import { ExtractionError } from '../../src/extract/types';
import { sample } from './helpers';

describe('PDF text layer (unpdf in a worker thread)', () => {
  it('extracts every page with lines, words and normalised geometry', async () => {
    const doc = await extractPdf(sample('customer-record.pdf'));
    expect(doc.source).toBe('pdf-text-layer');
    expect(doc.pages).toHaveLength(2);
    expect(doc.emptyPages).toEqual([]);
    expect(doc.text).toBe(
      'Customer record\nName: Olivia Bennett\nEmail: olivia.bennett@example.com\nBranch: Seattle\n\n' +
        'Notes\nThe customer asked for a paper copy of the contract.',
    );
    const line = doc.pages[0]!.lines[1]!;
    expect(line.words.map((w) => w.text)).toEqual(['Name:', 'Olivia', 'Bennett']);
    for (const b of [line.geometry, ...line.words.map((w) => w.geometry)]) {
      expect(b.Left).toBeGreaterThan(0);
      expect(b.Left + b.Width).toBeLessThanOrEqual(1);
      expect(b.Top).toBeGreaterThan(0);
      expect(b.Top + b.Height).toBeLessThanOrEqual(1);
    }
    // Lines go down the page.
    expect(doc.pages[0]!.lines[2]!.geometry.Top).toBeGreaterThan(line.geometry.Top);
  });

  it('reports a corrupt PDF clearly', async () => {
    const err = await extractPdf(sample('bad/corrupt.pdf')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExtractionError);
    expect(err).toMatchObject({ code: 'corrupt' });
    expect((err as Error).message).toMatch(/^the PDF cannot be read: /);
  });

  it('reports an encrypted PDF as encrypted', async () => {
    const err = await extractPdf(sample('bad/encrypted.pdf')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'encrypted' });
    expect((err as Error).message).toContain('encrypted (password protected)');
  });
});

describe('OCR (tesseract.js, offline English model)', () => {
  it('reads the name and email in the sample PNG', async () => {
    const doc = await ocrImage(sample('invoice-scan.png'));
    expect(doc.source).toBe('ocr');
    expect(doc.text).toContain('Liam Carter');
    expect(doc.text).toContain('liam.carter@example.net');
    const line = doc.pages[0]!.lines.find((l) => l.text.includes('Liam'))!;
    expect(line.confidence).toBeGreaterThan(70);
    expect(line.geometry.Left).toBeGreaterThan(0);
    expect(line.geometry.Left + line.geometry.Width).toBeLessThan(1);
  }, 60_000);

  it('rejects bytes that are not an image, and a damaged image', async () => {
    await expect(ocrImage(Buffer.from('not an image at all'))).rejects.toMatchObject({ code: 'unsupported' });
    const truncated = sample('invoice-scan.png').subarray(0, 200);
    await expect(ocrImage(truncated)).rejects.toMatchObject({ code: 'corrupt' });
  }, 60_000);
});

describe('text files and Word documents', () => {
  it('extracts the docx sample with mammoth', async () => {
    const r = await extractDocx(sample('meeting-notes.docx'));
    expect(r.text).toBe(
      'Meeting notes\n\nAttendee: Emma Rodriguez (emma.rodriguez@example.org)\n\n' +
        'We agreed to move the launch to March and to hire two more engineers.',
    );
  });

  it('reports a broken docx', async () => {
    await expect(extractDocx(Buffer.from('PK\x03\x04broken'))).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('decodes UTF-8 and UTF-16 with BOMs', () => {
    expect(decodeText(Buffer.from('\uFEFFcafé', 'utf8'))).toBe('café');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('naïve 😀', 'utf16le')]))).toBe(
      'naïve 😀',
    );
  });

  it('takes the visible text of HTML', async () => {
    const html =
      '<html><head><title>T</title><style>p{}</style><script>var x = "<p>";</script></head>' +
      '<body><p>Tom &amp; Jerry&#33;</p><div>a&nbsp;b &#x1F600;</div></body></html>';
    expect(htmlToText(html)).toBe('T\nTom & Jerry!\na b 😀');
    expect((await extractTextFile(Buffer.from(html), 'html')).text).toBe('T\nTom & Jerry!\na b 😀');
    expect((await extractTextFile(Buffer.from('a,b\n'), 'csv')).text).toBe('a,b\n');
  });
});
