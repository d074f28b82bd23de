const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const reference = require('./durations.json');

// Longest files first, so the two workers finish together. A fresh clone has no jest timings and
// jest then orders by file size, which left a 5 s file starting 112 s into a 117 s run; the
// durations of a reference run (npm run test:durations) stand in until jest has its own.
class LongestFirst extends Sequencer {
  time(test) {
    return super.time(test) ?? reference[relative(__dirname, test.path)];
  }
}

module.exports = LongestFirst;
