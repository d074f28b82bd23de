// The `autogov` command (bin/autogov.js): one run on the process's own streams, folder and environment.
import { processIo } from './io';
import { runCli } from './run';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
