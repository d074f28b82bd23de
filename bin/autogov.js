#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx autogov` needs no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
