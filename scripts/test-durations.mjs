// Writes test/durations.json: each test file's wall time in a full jest run, which test/sequencer.js
// uses to start the longest files first where jest has no timings of its own (a fresh clone, CI).
// Ordering only: no test reads it, and a stale file just orders less well.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'test');
const scratch = mkdtempSync(join(tmpdir(), 'autogov-durations-'));
const report = join(scratch, 'jest.json');
try {
  // jest's bin run by this node, not through npx (about a second of npm start-up).
  const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
  const run = spawnSync(process.execPath, [jest, '--silent', '--json', '--outputFile', report], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) {
    console.error('test-durations: jest failed; test/durations.json left as it was');
    process.exit(1);
  }
  const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
  const durations = Object.fromEntries(
    testResults
      .map((r) => [relative(testDir, r.name), Math.round(r.endTime - r.startTime)])
      .sort((a, b) => b[1] - a[1]),
  );
  writeFileSync(join(testDir, 'durations.json'), `${JSON.stringify(durations, null, 2)}\n`);
  console.log(`test-durations: ${testResults.length} files written to test/durations.json`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
