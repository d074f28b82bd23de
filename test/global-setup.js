// The CLI end-to-end tests drive the compiled CLI (bin/autogov.js runs dist/): build it from the
// current sources first so a test never runs stale code.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs')], {
    cwd: join(__dirname, '..'),
    stdio: 'inherit',
  });
};
