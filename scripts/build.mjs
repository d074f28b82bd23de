// Compiles src/, functions/, bench/ and scripts/ to CommonJS in dist/ (one .js per .ts, same layout), so
// the CLI starts without a TypeScript loader. Run by `npm ci` through the package's `prepare` script.
//
// Start-up time is mostly Node resolving and reading modules, one file at a time: the packages on the
// CLI's hot paths (zod, yaml, DuckDB's JS API, commander, …) are hundreds of files each. Each of them is
// bundled once into dist/vendor/<name>.bundle.js, with a V8 code cache beside it (src/code-cache.ts),
// and every compiled file requires dist/vendor/<name>.js, which loads that bundle: a package still has
// exactly one instance per process. Our own files stay one module each: a command loads only the ones
// it uses, and a Lambda handler that the local runner loads by path shares them with the CLI.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
/** Packages bundled into one file each (with their own dependencies); the rest load from node_modules. */
const VENDORED = [
  '@duckdb/node-api',
  '@smithy/util-stream',
  'cli-table3',
  'commander',
  'csv-parse',
  'fastest-levenshtein',
  'libphonenumber-js',
  'tinyglobby',
  'yaml',
  'zod',
];
const vendorFile = (pkg, suffix = '.js') => join(DIST, 'vendor', `${pkg.replace('/', '+')}${suffix}`);

const files = (dir) => readdirSync(join(ROOT, dir), { recursive: true }).map((f) => join(dir, String(f)));
const entryPoints = ['src', 'functions', 'bench', 'scripts'].flatMap((dir) =>
  files(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
);

/** One output file per source file: every import stays a require, a vendored package's points at its bundle. */
const perFile = {
  name: 'per-file',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!VENDORED.includes(args.path)) return { path: args.path, external: true };
      // Every output file is below dist/<dir>/, so the path starts with `../`.
      const from = dirname(join(DIST, relative(ROOT, args.importer)));
      return { path: relative(from, vendorFile(args.path)), external: true };
    });
  },
};

// What the build reads: our sources, the recorded YAML, the Node that writes the code caches and the
// locked dependency versions. A build of the same inputs is skipped (the test run's global setup builds
// after `npm ci` has), so the key is written last: an interrupted build leaves none and runs again.
const KEY_FILE = join(DIST, 'build-key');
const inputs = [
  ...['src', 'functions', 'bench', 'scripts', 'statemachines'].flatMap(files).sort(),
  'serverless.yml',
  existsSync(join(ROOT, 'package-lock.json')) ? 'package-lock.json' : 'package.json',
];
const hash = createHash('sha256').update(`${process.version}\n${process.arch}\n`);
for (const f of inputs) {
  const abs = join(ROOT, f);
  try {
    hash.update(`${f}\n`).update(readFileSync(abs)).update('\n');
  } catch (err) {
    if (err.code !== 'EISDIR') throw err;
  }
}
const key = hash.digest('hex');
if (!process.argv.includes('--force') && existsSync(KEY_FILE) && readFileSync(KEY_FILE, 'utf8') === key)
  process.exit(0);

rmSync(DIST, { recursive: true, force: true });
await Promise.all([
  build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: 'dist',
    outbase: '.',
    bundle: true,
    plugins: [perFile],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  }),
  ...VENDORED.map((pkg) =>
    build({
      absWorkingDir: ROOT,
      stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: ROOT },
      outfile: vendorFile(pkg, '.bundle.js'),
      bundle: true,
      // DuckDB's native binding is loaded from its platform package at run time.
      external: ['@duckdb/node-bindings*'],
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minify: true,
      keepNames: true,
      logLevel: 'warning',
    }),
  ),
]);
/**
 * Set once where the package is loaded. zod compiles every object schema into a function (`new Function`)
 * on its first parse, which a short CLI run never wins back; jitless parses the same, without compiling.
 */
const AFTER_LOAD = { zod: 'module.exports.config({ jitless: true });\n' };
for (const pkg of VENDORED)
  writeFileSync(
    vendorFile(pkg),
    `module.exports = require('../src/code-cache.js').requireCached(\`\${__dirname}/${pkg.replace('/', '+')}.bundle.js\`);\n${AFTER_LOAD[pkg] ?? ''}`,
  );
// The caches are written by the Node that runs the build, as `npm ci` runs it on the machine itself.
// The state machines are validated here once, not by every run (src/local/validated-definitions.ts),
// serverless.yml and the state machines recorded as JSON (readYaml in src/local/runner.ts), and the
// PII name lexicon derived once (src/pii/lexicon-sources.ts).
execFileSync(
  process.execPath,
  [
    '-e',
    `const { writeCodeCache } = require('./dist/src/code-cache.js');
   for (const f of process.argv.slice(1)) writeCodeCache(f);
   const local = require('./dist/src/local/services.js');
   local.recordLocalYaml();
   local.validateLocalDefinitions();
   require('./dist/src/pii/lexicon-sources.js').writeLexicon();`,
    ...VENDORED.map((pkg) => vendorFile(pkg, '.bundle.js')),
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
// Non-TypeScript modules loaded by path at runtime.
for (const f of files('src').filter((f) => f.endsWith('.mjs'))) cpSync(join(ROOT, f), join(DIST, f));
writeFileSync(KEY_FILE, key);
