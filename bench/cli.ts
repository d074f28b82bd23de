// CLI start-up: medians of BENCH_RUNS (default 10) runs of each command from the compiled build
// (bin/autogov.js → dist/) against the same command run from the TypeScript sources through tsx, the
// two alternated run by run so the ratio holds on a loaded machine. Wall time and CPU time (user+sys of
// the whole process, DuckDB's threads included) are both reported: on a loaded machine the CPU time is
// the steadier figure. Targets (idle, wall): --help ≤ 0.3 s, tables/tags on the demo lake ≤ 0.6 s,
// dq lint of one file ≤ 0.4 s, one governed ingest of the 20-row seed customer_v0.csv into a lake that
// holds only the base table ≤ 1.5 s (each run on a fresh copy of that lake). A benchmark, not a test.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'bench-cli-'));
const lake = join(work, 'lake');
const baseLake = join(work, 'base-lake');
const ingestLake = join(work, 'ingest-lake');
// Each run writes its own CPU time at exit (process.cpuUsage covers every thread of the process).
const cpuFile = join(work, 'cpu');
const cpuReporter = join(work, 'cpu-at-exit.cjs');
writeFileSync(
  cpuReporter,
  `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1e6)); });\n`,
);

const built = [join(ROOT, 'bin/autogov.js')];
const source = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];

interface Sample {
  wall: number;
  cpu: number;
}

interface Case {
  name: string;
  args: string[];
  target: number;
  /** the lake it runs on (default: the demo lake), made afresh before each run when `fresh` */
  lake?: string;
  fresh?: () => void;
}

function once(entry: string[], c: Case): Sample {
  c.fresh?.();
  const t = performance.now();
  execFileSync(process.execPath, ['-r', cpuReporter, ...entry, '--lake', c.lake ?? lake, ...c.args], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return { wall: (performance.now() - t) / 1000, cpu: Number(readFileSync(cpuFile, 'utf8')) };
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
execFileSync(process.execPath, [...built, '--lake', lake, 'demo', '--json'], { cwd: ROOT, stdio: 'ignore' });
const seed = (file: string) => join(ROOT, 'samples/seed', file);
execFileSync(
  process.execPath,
  [...built, '--lake', baseLake, 'ingest', seed('base.csv'), '--table', 'oktank_autogov_temp.base'],
  { cwd: ROOT, stdio: 'ignore' },
);
const cases: Case[] = [
  { name: '--help', args: ['--help'], target: 0.3 },
  { name: 'tables', args: ['tables'], target: 0.6 },
  { name: 'tags', args: ['tags', 'oktank_autogov_temp.customer'], target: 0.6 },
  { name: 'dq lint (1 file)', args: ['dq', 'lint', join(ROOT, 'dqdl/customer.dqdl')], target: 0.4 },
  {
    name: 'ingest (20 rows)',
    args: ['ingest', seed('customer_v0.csv'), '--table', 'oktank_autogov_temp.customer'],
    target: 1.5,
    lake: ingestLake,
    fresh: () => {
      rmSync(ingestLake, { recursive: true, force: true });
      cpSync(baseLake, ingestLake, { recursive: true });
    },
  },
];
console.log(`CLI start-up, medians of ${RUNS} (load average ${loadavg()[0]!.toFixed(1)} at start)`);
console.log(
  '  command             built wall (cpu)    tsx wall (cpu)      built/tsx wall (cpu)  target (idle wall)',
);
// BENCH_ONLY=ingest runs only the cases whose name starts so.
for (const c of cases.filter((c) => c.name.startsWith(process.env.BENCH_ONLY ?? ''))) {
  const b: Sample[] = [];
  const s: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(once(built, c));
    s.push(once(source, c));
  }
  const [bw, bc, sw, sc] = [
    b.map((x) => x.wall),
    b.map((x) => x.cpu),
    s.map((x) => x.wall),
    s.map((x) => x.cpu),
  ].map(median) as [number, number, number, number];
  console.log(
    `  ${c.name.padEnd(18)}  ${bw.toFixed(2)} s (${bc.toFixed(2)} s)   ${sw.toFixed(2)} s (${sc.toFixed(2)} s)   ${(bw / sw).toFixed(2)} (${(bc / sc).toFixed(2)})           ≤ ${c.target} s${bw <= c.target ? '' : '  (missed)'}`,
  );
}
console.log(`  load average ${loadavg()[0]!.toFixed(1)} at end`);
rmSync(work, { recursive: true, force: true });
