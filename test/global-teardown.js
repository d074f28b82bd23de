// Removes the run's shared fixtures (test/global-setup.js made the folder).
const { rmSync } = require('node:fs');

module.exports = () => {
  const dir = process.env.AUTOGOV_TEST_FIXTURES;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
