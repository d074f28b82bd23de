// `npm run build:wasm`: assembles src/data/line-scan.wat into src/data/line-scan-wasm.ts (base64), so
// the product ships no assembler; test/data/line-scan.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import wabt from 'wabt';

const DATA = path.join(__dirname, '../src/data');
export const WAT = path.join(DATA, 'line-scan.wat');
export const MODULE = path.join(DATA, 'line-scan-wasm.ts');

/** The module file's text for the current .wat. */
export async function lineScanModuleText(): Promise<string> {
  const w = await wabt();
  const parsed = w.parseWat('line-scan.wat', readFileSync(WAT, 'utf8'), { simd: true });
  try {
    parsed.validate();
    const { buffer } = parsed.toBinary({});
    return `// Generated from line-scan.wat by \`npm run build:wasm\`; do not edit.\nexport const LINE_SCAN_WASM =\n  '${Buffer.from(buffer).toString('base64')}';\n`;
  } finally {
    parsed.destroy();
  }
}

if (require.main === module)
  lineScanModuleText().then((text) => {
    writeFileSync(MODULE, text);
    console.log(`wrote ${path.relative(process.cwd(), MODULE)}`);
  });
