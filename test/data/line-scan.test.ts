import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineScanModuleText, MODULE } from '../../scripts/line-scan-wasm';
import { plainDelimitedLines } from '../../src/data/line-scan';
import { validateDataFileStrictly } from '../../src/data/validate';

const dir = mkdtempSync(join(tmpdir(), 'line-scan-'));
let n = 0;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, content);
  return path;
};
const outcome = (p: Promise<void>) =>
  p.then(
    () => 'passed',
    (err: Error) => err.message,
  );

test('the shipped scanner is line-scan.wat assembled (npm run build:wasm after editing it)', async () => {
  expect(await lineScanModuleText()).toBe(readFileSync(MODULE, 'utf8'));
});

describe('the quick pass counts the lines of a plain delimited file', () => {
  test.each([
    ['a CSV', 'a.csv', 'id,name\n1,a\n2,b\n', ',', true, 3],
    ['Windows line ends', 'crlf.csv', 'id,name\r\n1,a\r\n', ',', true, 2],
    ['no line feed after the last row', 'last.csv', 'id,name\n1,a', ',', true, 2],
    ['UTF-8 text', 'utf8.csv', 'id,name\n1,café ☕\n', ',', true, 2],
    ['a TSV, whose quotes are text', 'q.tsv', 'id\tname\n1\tsay "hi"\n', '\t', false, 2],
    [
      'lines across many windows',
      'big.csv',
      `id,name\n${'12345,abcdefgh\n'.repeat(100_000)}`,
      ',',
      true,
      100_001,
    ],
  ])('%s', async (_what, name, content, delimiter, quoting, lines) => {
    expect(await plainDelimitedLines(file(name, content), delimiter, quoting, 2)).toBe(lines);
  });

  test.each([
    ['a quote in a CSV', 'id,name\n1,"a, b"\n'],
    ['a row of other width', 'id,name\n1,a,b\n'],
    ['a row of other width deep in the file', `id,name\n${'1,a\n'.repeat(300_000)}2\n`],
    ['an empty line', 'id,name\n\n1,a\n'],
    ['a carriage return inside a line', 'id,name\n1,a\rb\n'],
    ['a NUL byte', 'id,name\n1,a\0\n'],
    ['bytes that are not UTF-8', Buffer.from('id,name\n1,caf\xe9\n', 'latin1')],
    ['a line longer than the window', `id,name\n1,${'x'.repeat(600 << 10)}\n`],
  ])('and leaves the rest to the strict readers: %s', async (_what, content) => {
    expect(await plainDelimitedLines(file('x.csv', content), ',', true, 2)).toBeUndefined();
  });
});

/** A small deterministic generator (xorshift), so a failing case can be replayed. */
function random(seed: number) {
  let s = seed;
  return (k: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % k;
  };
}

// Values mostly plain, some of them what CSV and TSV readers disagree on (raw bytes included).
const PLAIN = ['', 'a', '42', 'café', ' x ', '☕'].map((v) => Buffer.from(v));
const TROUBLE = [
  ...['"', '"q"', 'x"y', '""', '\r', '\t', ',', '\0', '\n', '\ufeff'].map((v) => Buffer.from(v)),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
];

// Where the quick pass cannot tell, validateDataFile is the strict readers; so only what it passes needs checking.
test('the quick pass never passes a file the strict readers refuse', async () => {
  const pick = random(0x10ad);
  let quick = 0;
  const cases = 80;
  for (let i = 0; i < cases; i++) {
    const tsv = pick(4) === 0;
    const delimiter = Buffer.from(tsv ? '\t' : ',');
    const fields = 2 + pick(3);
    const value = () => (pick(12) === 0 ? TROUBLE[pick(TROUBLE.length)]! : PLAIN[pick(PLAIN.length)]!);
    const end = Buffer.from(['\n', '\n', '\r\n', '\r'][pick(4)]!);
    const parts: Buffer[] = [];
    const rows = 1 + pick(5);
    for (let row = 0; row < rows; row++) {
      const width = pick(10) === 0 ? fields + pick(3) - 1 : fields;
      for (let c = 0; c < width; c++) {
        if (c > 0) parts.push(delimiter);
        parts.push(row === 0 ? Buffer.from(`c${c}`) : value());
      }
      if (row < rows - 1 || pick(3) > 0) parts.push(end);
    }
    const path = file(tsv ? 'case.tsv' : 'case.csv', Buffer.concat(parts));
    // validateDataFile passes on the quick pass alone when it counts a header and rows
    if (((await plainDelimitedLines(path, delimiter.toString(), !tsv, fields)) ?? 0) < 2) continue;
    quick++;
    expect([i, await outcome(validateDataFileStrictly(path))]).toEqual([i, 'passed']);
  }
  // The property means something only if the quick pass decided a good share of the cases.
  expect(quick).toBeGreaterThan(cases / 4);
});
