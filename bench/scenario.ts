// Seed scenario wall time, locally: in-process (the state machine runs, DuckDB evaluation, tagging)
// and as a user runs it (`autogov demo`, a fresh Node process). Target: ≤ 10 s. A benchmark, not a test.
import '../src/polyfills';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runDemo } from '../src/app/demo';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main(): Promise<void> {
  const inProcess: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await runDemo({ governance: join(ROOT, 'governance.yml') });
    inProcess.push(performance.now() - t);
  }
  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync('node', [join(ROOT, 'bin/autogov.js'), 'demo', '--json'], { cwd: ROOT, stdio: 'ignore' });
    cli.push(performance.now() - t);
  }
  const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  const fmt = (ms: number[]) =>
    `median ${(median(ms) / 1000).toFixed(2)} s (runs: ${ms.map((m) => (m / 1000).toFixed(2)).join(', ')})`;
  console.log('seed scenario: 4 files ingested, 4 govern-table executions, 3 use cases read back');
  console.log(`  in-process          ${fmt(inProcess)}`);
  console.log(`  npx autogov demo    ${fmt(cli)}`);
  console.log(
    `  CLI / in-process    ${(median(cli) / median(inProcess)).toFixed(2)} (process start-up and TypeScript loading)`,
  );
  console.log(`  target              ≤ 10 s`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
