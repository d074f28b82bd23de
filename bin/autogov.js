#!/usr/bin/env node
// Runs the compiled CLI (built into dist/ by `npm ci` through `prepare`); from a source checkout
// without a build, falls back to the TypeScript through tsx.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (existsSync(built)) require(built);
else {
  require('tsx/cjs');
  require('../src/cli/main.ts');
}
