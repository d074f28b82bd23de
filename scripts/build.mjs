// Compiles src/, functions/, bench/ and scripts/ to CommonJS in dist/ (one .js per .ts, same layout), so
// the CLI starts without a TypeScript loader. Run by `npm ci` through the package's `prepare` script.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const files = (dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f)));
const entryPoints = ['src', 'functions', 'bench', 'scripts'].flatMap((dir) =>
  files(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
);
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  bundle: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
// Non-TypeScript modules loaded by path at runtime.
for (const f of files('src').filter((f) => f.endsWith('.mjs'))) cpSync(f, `dist/${f}`);
