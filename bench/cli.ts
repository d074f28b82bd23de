// CLI start-up: medians of BENCH_RUNS (default 10) runs of each command from the compiled build
// (bin/autogov.js → dist/) against the same command through tsx from the TypeScript sources, measured
// in one run so the ratio holds on a loaded machine. Targets (idle): --help ≤ 0.3 s, tables/tags on
// the demo lake ≤ 0.6 s, dq lint of one file ≤ 0.4 s. A benchmark, not a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const lake = mkdtempSync(join(tmpdir(), 'bench-cli-'));

const built = [join(ROOT, 'bin/autogov.js')];
const source = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli/main.ts')];

function median(entry: string[], args: string[]): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [...entry, '--lake', lake, ...args], { cwd: ROOT, stdio: 'ignore' });
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]! / 1000;
}

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
execFileSync(process.execPath, [...built, '--lake', lake, 'demo', '--json'], { cwd: ROOT, stdio: 'ignore' });
const cases: { name: string; args: string[]; target: number }[] = [
  { name: '--help', args: ['--help'], target: 0.3 },
  { name: 'tables', args: ['tables'], target: 0.6 },
  { name: 'tags', args: ['tags', 'oktank_autogov_temp.customer'], target: 0.6 },
  { name: 'dq lint (1 file)', args: ['dq', 'lint', join(ROOT, 'dqdl/customer.dqdl')], target: 0.4 },
];
console.log(`CLI start-up, median of ${RUNS} (demo lake at ${lake})`);
console.log('  command             built     tsx (before)  built/tsx  target (idle)');
for (const c of cases) {
  const b = median(built, c.args);
  const s = median(source, c.args);
  console.log(
    `  ${c.name.padEnd(18)}  ${b.toFixed(2)} s    ${s.toFixed(2)} s        ${(b / s).toFixed(2)}       ≤ ${c.target} s${b <= c.target ? '' : '  (missed)'}`,
  );
}
