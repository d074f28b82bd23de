/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest', '<rootDir>/test/no-leaked-processes.ts'],
  // Outcomes are correctness, never speed: a loaded machine may be slow, not wrong.
  testTimeout: 30 * 60 * 1000,
};
