import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineScanModuleText, MODULE } from '../../scripts/line-scan-wasm';
import { jsonLinePasses } from '../../src/data/json-line';
import { plainDelimitedLines, plainJsonLines, plainJsonLinesInParts } from '../../src/data/line-scan';
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

describe('the quick pass counts the objects of a JSON lines file', () => {
  // A stand-in for the strict check of one line: JSON.parse, and a log of the lines it was asked about.
  const asked: string[] = [];
  const strict = (line: Buffer) => {
    asked.push(line.toString());
    try {
      JSON.parse(line.toString());
      return true;
    } catch {
      return false;
    }
  };
  beforeEach(() => {
    asked.length = 0;
  });

  test.each([
    ['objects', '{"a":1}\n{"a":2}\n', 2],
    ['blank lines and Windows line ends', '{"a":1}\r\n\r\n  \n{"a":2}\r\n', 2],
    ['no line feed after the last object', '{"a":1}\n{"a":2}', 2],
    [
      'every kind of value',
      '{"s":"x\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9 café ☕","n":[0,-1,2.5,-0.0e+10,1E-3,123456789],"t":true,"f":false,"z":null,"o":{"p":{}},"e":[]}\n',
      1,
    ],
    ['spaces between every token', ' { "a" : [ 1 , { "b" : null } ] , "c" : "d" } \n', 1],
    ['lines across many windows', '{"id":12345,"name":"abcdefgh"}\n'.repeat(50_000), 50_000],
  ])('%s', async (_what, content, objects) => {
    expect(await plainJsonLines(file('a.jsonl', content), strict)).toBe(objects);
  });

  test('the strict check reads only the lines whose keys differ from the last it passed', async () => {
    const lines = [
      '{"a":1,"b":[1]}',
      '{"a":2,"b":[2]}',
      '{"b":[3],"a":3}',
      '{"b":[4],"a":4}',
      '{"a":5,"b":{}}',
    ];
    expect(await plainJsonLines(file('keys.jsonl', `${lines.join('\n')}\n`), strict)).toBe(5);
    expect(asked).toEqual([lines[0], lines[2], lines[4]]);
  });

  test('a line of new keys the strict check refuses stops it', async () => {
    const refuseAll = () => false;
    expect(await plainJsonLines(file('dup.jsonl', '{"a":1}\n{"a":1,"a":2}\n'), refuseAll)).toBeUndefined();
  });

  test.each([
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['a leading zero', '{"a":01}'],
    ['a bare decimal point', '{"a":1.}'],
    ['a number without its integer part', '{"a":.5}'],
    ['a plus sign', '{"a":+1}'],
    ['an exponent without digits', '{"a":1e}'],
    ['a misspelt literal', '{"a":tru}'],
    ['NaN', '{"a":NaN}'],
    ['a control character in a string', '{"a":"x\ty"}'],
    ['an unknown escape', '{"a":"\\x41"}'],
    ['a short \\u escape', '{"a":"\\u12G4"}'],
    ['an unclosed object', '{"a":1'],
    ['an unclosed string', '{"a":"x}'],
    ['a bracket of the other kind', '{"a":[1}}'],
    ['one bracket too many', '{"a":1}}'],
    ['two objects on a line', '{"a":1}{"a":2}'],
    ['an array line', '[{"a":1}]'],
    ['a number line', '42'],
    ['a key without a colon', '{"a" 1}'],
    ['a value without a key', '{1:2}'],
    ['nesting past 64', `{"a":${'['.repeat(64)}${']'.repeat(64)}}`],
    ['a byte order mark', '\ufeff{"a":1}'],
    ['a line longer than the window', `{"a":"${'x'.repeat(600 << 10)}"}`],
  ])('and leaves the rest to the strict readers: %s', async (_what, line) => {
    expect(await plainJsonLines(file('x.jsonl', `{"a":0}\n${line}\n`), strict)).toBeUndefined();
  });

  test('and bytes that are not UTF-8', async () => {
    const content = Buffer.concat([Buffer.from('{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    expect(await plainJsonLines(file('x.jsonl', content), strict)).toBeUndefined();
  });
});

/** A random JSON value, written with random whitespace. */
function jsonText(pick: (k: number) => number, depth = 0): string {
  const ws = () => [' ', '', '', '', '\t'][pick(5)]!;
  const key = () => JSON.stringify(['a', 'b', 'é', 'a"b', '', 'k\\u0061'][pick(6)]!).replace('\\\\u', '\\u');
  switch (depth > 3 ? pick(3) : pick(6)) {
    case 0:
      return JSON.stringify(['x', 'café', 'q"\\', '\u0001', '☕', ''][pick(6)]);
    case 1:
      return ['0', '-1', '2.5', '1e3', '-0.0E-2', 'true', 'false', 'null'][pick(8)]!;
    case 2:
      return `"${'\\u00e9\\n'.slice(0, pick(9))}"`;
    case 3:
    case 4:
      return `{${Array.from({ length: pick(4) }, () => `${ws()}${key()}${ws()}:${ws()}${jsonText(pick, depth + 1)}${ws()}`).join(',')}}`;
    default:
      return `[${Array.from({ length: pick(4) }, () => `${ws()}${jsonText(pick, depth + 1)}${ws()}`).join(',')}]`;
  }
}

const JSON_TROUBLE = [
  '"',
  '\\',
  ',',
  ':',
  '{',
  '}',
  '[',
  ']',
  '0',
  '-',
  '.',
  'e',
  ' ',
  '\n',
  '\r',
  '\t',
  'x',
  'n',
];

/**
 * Case `i`'s lines as a file: when the quick pass decides it (true), the strict path must pass it too;
 * the case number and lines are in the assertion so a failure names its input.
 */
async function quickPassAgrees(i: number, lines: string[]): Promise<boolean> {
  const path = file('case.jsonl', `${lines.join('\n')}\n`);
  // the strict check of one line validateDataFile gives the quick pass
  if (((await plainJsonLines(path, jsonLinePasses)) ?? 0) < 1) return false;
  expect([i, lines, await outcome(validateDataFileStrictly(path))]).toEqual([i, lines, 'passed']);
  return true;
}

test('the quick JSON pass never passes a file the strict check refuses', async () => {
  const pick = random(0x150f);
  let quick = 0;
  const cases = 300;
  for (let i = 0; i < cases; i++) {
    const lines = Array.from({ length: 1 + pick(4) }, () => {
      let text = `{"id":${pick(9)}${pick(2) ? `,"v":${jsonText(pick)}` : ''}}`;
      // one random edit in a third of the lines: a byte inserted, dropped or replaced
      if (pick(3) === 0) {
        const at = pick(text.length);
        const edit = JSON_TROUBLE[pick(JSON_TROUBLE.length)]!;
        text = text.slice(0, at) + [edit, '', edit][pick(3)] + text.slice(pick(3) === 0 ? at : at + 1);
      }
      return text;
    });
    if (await quickPassAgrees(i, lines)) quick++;
  }
  expect(quick).toBeGreaterThan(cases / 4);
});

// Keys of lengths around the 16 bytes one vector compare covers, some escaped or non-ASCII, and
// lines that share a prefix of the template's keys: where a line's keys differ from the template's
// only at one key, the quick pass must notice it (or defer to the strict check).
const KEYS = ['a', 'ab', 'abcdefghijklmn', 'abcdefghijklmno', 'abcdefghijklmnop', 'é', 'a\\"b', 'k\\u0061'];

test('the quick JSON pass never passes a file of template-like lines the strict check refuses', async () => {
  const pick = random(0x7e57);
  let quick = 0;
  const cases = 300;
  for (let i = 0; i < cases; i++) {
    const keys = [KEYS[pick(KEYS.length)]!, ...KEYS.filter(() => pick(4) === 0)].filter(
      (k, at, all) => all.indexOf(k) === at,
    );
    const value = () =>
      [() => `"${'xé'.repeat(pick(12))}"`, () => `${pick(1000)}`, () => jsonText(pick)][pick(4) % 3]!();
    const line = (ks: string[]) => `{${ks.map((k) => `"${k}":${value()}`).join(',')}}`;
    const lines = Array.from({ length: 2 + pick(6) }, () => {
      const ks = [...keys];
      // a key replaced, dropped or repeated in one line of five
      if (pick(5) === 0) {
        const at = pick(ks.length);
        [() => ks.splice(at, 1, KEYS[pick(KEYS.length)]!), () => ks.splice(at, 1), () => ks.push(ks[at]!)][
          pick(3)
        ]!();
      }
      return line(ks);
    });
    if (await quickPassAgrees(i, lines)) quick++;
  }
  expect(quick).toBeGreaterThan(cases / 4);
});

// What a line's scalars may be: every kind JSON has, at lengths around the 16 bytes a vector covers,
// and near misses of each (none of which JSON.parse reads as one scalar).
// biome-ignore format: a list a line
const SCALARS = [
  '0', '-0', '7', '-12', '0.5', '-3.25', '1234567890123456', '12345678901234567890', '1.1234567890123456789',
  '1e5', '-2.5E-3', '0e0', 'true', 'false', 'null', '""', '"x"', '"abcdefghijklmnopqrstuvwxyz"',
  '"café ☕"', '"a\\nb"', '"\\u00e9"', '"\\"\\\\"', '"abcdefghijklmno\\"p"',
];
// biome-ignore format: a list a line
const NEAR_SCALARS = [
  '01', '-', '1.', '.5', '+1', '1e', '1e+', '--1', '0x10', '1.2.3', 'tru', 'nul', 'falsa', 'trUe', 'nulL',
  'falsey', 'truex', 'NaN', '"x', '"a\tb"', '"\\x"', '"\\u12G4"', '"abcdefghijklmnopq\u0001"', '{}', '[]',
  '[1]', '{"a":1}', '1 2', '',
];

/** A line's shape: objects and arrays around scalar slots, written out with the scalars it is given. */
function shape(pick: (k: number) => number, depth = 0): (scalar: () => string) => string {
  const ws = [' ', '', '', ''][pick(4)]!;
  const kind =
    depth === 0 ? 'object' : depth > 2 ? 'scalar' : (['object', 'array', 'scalar'] as const)[pick(3)];
  if (kind === 'scalar') return (scalar) => scalar();
  const parts = Array.from({ length: (depth === 0 ? 1 : 0) + pick(4) }, () => shape(pick, depth + 1));
  if (kind === 'array') return (scalar) => `[${parts.map((p) => `${ws}${p(scalar)}`).join(',')}]`;
  const first = pick(KEYS.length);
  const key = (k: number) => KEYS[(first + k) % KEYS.length];
  return (scalar) => `{${parts.map((p, k) => `"${key(k)}"${ws}:${p(scalar)}`).join(`,${ws}`)}}`;
}

test('the quick JSON pass never passes a file of lines alike but for their scalars that the strict check refuses', async () => {
  const pick = random(0x5ca1);
  let quick = 0;
  const cases = 300;
  const scalar = () =>
    pick(12) === 0 ? NEAR_SCALARS[pick(NEAR_SCALARS.length)]! : SCALARS[pick(SCALARS.length)]!;
  for (let i = 0; i < cases; i++) {
    const line = shape(pick);
    const lines = Array.from({ length: 2 + pick(6) }, () => line(scalar));
    if (await quickPassAgrees(i, lines)) quick++;
  }
  expect(quick).toBeGreaterThan(cases / 4);
});

test('a run of lines long enough to be read as two halves at once counts and refuses as one pass does', async () => {
  const pick = random(0x1a2e);
  let refused = 0;
  const cases = 120;
  for (let i = 0; i < cases; i++) {
    const line = shape(pick);
    const lines: string[] = [];
    for (let bytes = 0, want = 8192 + pick(8192); bytes < want; bytes += lines.at(-1)!.length + 1)
      lines.push(line(() => SCALARS[pick(SCALARS.length)]!));
    // anywhere in the file, the middle's neighbourhood included: a line of other keys, or one with a
    // near miss of a scalar (which the pass must not take for a scalar)
    let near = false;
    for (let k = pick(3); k > 0; k--) {
      const at = pick(2) ? pick(lines.length) : Math.floor(lines.length / 2) + pick(5) - 2;
      near ||= pick(2) === 0;
      lines[at] = near ? line(() => NEAR_SCALARS[pick(NEAR_SCALARS.length)]!) : `{"other":${pick(9)}}`;
    }
    const path = file('halves.jsonl', `${lines.join('\n')}\n`);
    const count = await plainJsonLines(path, jsonLinePasses);
    if (count === undefined && near) {
      refused++;
      continue;
    }
    const objects = lines.filter((l) => l.trim()).length;
    expect([i, count, await outcome(validateDataFileStrictly(path))]).toEqual([i, objects, 'passed']);
  }
  expect(refused).toBeGreaterThan(cases / 8);
});

test('a long quick pass hands the event loop back now and then, so other work in the process goes on', async () => {
  const path = file('long.jsonl', '{"id":12345,"name":"abcdefgh"}\n'.repeat(700_000)); // 21 MB
  let turns = 0;
  let turning = true;
  const turn = () => {
    turns++;
    if (turning) setImmediate(turn);
  };
  setImmediate(turn);
  const objects = await plainJsonLines(path, () => true);
  turning = false;
  expect(objects).toBe(700_000);
  expect(turns).toBeGreaterThanOrEqual(2);
});

describe('a big JSON lines file is scanned in parts at once, each but the first in a worker thread', () => {
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 700 === 0 ? `{"id":${i},"tags":["a","b"]}` : `{"id":${i},"name":"n${i}","ok":${i % 2 === 0}}`,
  );
  const whole = `${lines.join('\n')}\n`;

  // Each worker under the tests loads tsx (~0.2 s), so these use as few as say what they must.
  test('in three parts it counts what one pass counts', async () => {
    const path = file('parts.jsonl', whole);
    expect(await plainJsonLinesInParts(path, 3)).toBe(3000);
    expect(await plainJsonLines(path, jsonLinePasses)).toBe(3000);
  });

  test('a last line without its line feed is still counted', async () => {
    expect(await plainJsonLinesInParts(file('last.jsonl', whole.trimEnd()), 2)).toBe(3000);
  });

  test.each([
    ['a line no JSON reader takes', '{"id":1,}'],
    ['a line of new keys the strict check refuses', '{"id":1,"id":2}'],
  ])('%s in the last part leaves the file to the strict readers', async (_what, bad) => {
    const path = file('bad.jsonl', `${whole}${bad}\n${lines.slice(0, 10).join('\n')}\n`);
    expect(await plainJsonLinesInParts(path, 2)).toBeUndefined();
  });
});
