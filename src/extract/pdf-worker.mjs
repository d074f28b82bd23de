// Runs pdf.js (through unpdf) in a worker thread. unpdf's CommonJS entry loads pdf.js with a dynamic
// import(), which jest's CommonJS runtime rejects; a worker uses Node's own ESM loader, and keeps
// pdf.js's parsing off the caller's thread. Plain JS because a worker cannot load TypeScript here.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

/** Normalised (0–1, top-left origin) box, as Textract reports geometry. */
const box = (x0, y0, x1, y1, w, h) => ({
  Left: Math.max(0, x0 / w),
  Top: Math.max(0, (h - y1) / h),
  Width: Math.max(0, (x1 - x0) / w),
  Height: Math.max(0, (y1 - y0) / h),
});

function pageLines(items, width, height) {
  const lines = [];
  let chars = [];
  const flush = () => {
    const text = chars.map((c) => c.ch).join('');
    if (text.trim()) lines.push(chars);
    chars = [];
  };
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const [, , , , e, f] = item.transform;
    const size = item.height || Math.hypot(item.transform[2], item.transform[3]) || 10;
    const len = item.str.length || 1;
    const prev = chars.at(-1);
    // pdf.js marks line ends with hasEOL; a jump in baseline is a new line too.
    if (prev && Math.abs(prev.y0 - f) > size * 0.5) flush();
    [...item.str].forEach((ch, i) => {
      chars.push({
        ch,
        x0: e + (item.width * i) / len,
        x1: e + (item.width * (i + 1)) / len,
        y0: f - size * 0.2,
        y1: f + size * 0.8,
      });
    });
    if (item.hasEOL) flush();
  }
  flush();
  return lines.map((cs) => {
    const words = [];
    let run = [];
    const end = () => {
      if (run.length) {
        words.push({
          text: run.map((c) => c.ch).join(''),
          geometry: box(
            run[0].x0,
            Math.min(...run.map((c) => c.y0)),
            run.at(-1).x1,
            Math.max(...run.map((c) => c.y1)),
            width,
            height,
          ),
        });
      }
      run = [];
    };
    for (const c of cs) {
      if (/\s/.test(c.ch)) end();
      else run.push(c);
    }
    end();
    const x0 = Math.min(...cs.map((c) => c.x0));
    const x1 = Math.max(...cs.map((c) => c.x1));
    const y0 = Math.min(...cs.map((c) => c.y0));
    const y1 = Math.max(...cs.map((c) => c.y1));
    return { text: words.map((w) => w.text).join(' '), geometry: box(x0, y0, x1, y1, width, height), words };
  });
}

async function run() {
  const pdf = await getDocumentProxy(workerData.bytes, { verbosity: 0, isEvalSupported: false });
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const { width, height } = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    pages.push({ pageNumber: n, width, height, lines: pageLines(content.items, width, height) });
    page.cleanup();
  }
  await pdf.destroy();
  return pages;
}

run().then(
  (pages) => parentPort.postMessage({ ok: true, pages }),
  (err) =>
    parentPort.postMessage({ ok: false, name: err?.name ?? 'Error', message: String(err?.message ?? err) }),
);
