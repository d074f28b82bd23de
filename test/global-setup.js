// The CLI end-to-end tests drive the compiled CLI (bin/autogov.js runs dist/): build it from the
// current sources first so a test never runs stale code (a no-op when dist/ was built from these very
// sources, as `npm ci` leaves it). Then a folder for the fixtures the run's
// test files share (test/support/fixtures.ts), removed by test/global-teardown.js.
const { execFileSync } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], {
    cwd: join(__dirname, '..'),
    stdio: 'inherit',
  });
  // Inherited by the workers, which start after this.
  process.env.AUTOGOV_TEST_FIXTURES = mkdtempSync(join(tmpdir(), 'autogov-fixtures-'));
};
