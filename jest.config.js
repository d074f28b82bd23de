const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Two test files at a time even on two cores, where jest's default (cores - 1) runs them one by one:
  // much of a file's time is spent waiting on child processes (the CLI, sls, moto, chromium) and I/O.
  // Shared fixtures are built once per run across workers (test/support/fixtures.ts).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Longest files first where jest has no timings yet (test/durations.json, npm run test:durations).
  testSequencer: '<rootDir>/test/sequencer.js',
  setupFiles: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/no-leaked-processes.ts'],
  // Outcomes are correctness, never speed: a loaded machine may be slow, not wrong.
  testTimeout: 30 * 60 * 1000,
};
