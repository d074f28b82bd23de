// Reads never wait for writes: ingests a BENCH_MB (default 300) MB customer CSV into the demo lake with
// the compiled CLI and, for as long as that ingest runs, keeps running `tables`, `tags`, `access` and
// `query` against the same lake. Prints how many of each answered during the ingest (exit 0), how
// many failed, and their median / slowest time. A benchmark, not a test.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'bench-reads-'));
const lake = join(dir, 'lake');
const cli = join(ROOT, 'bin/autogov.js');
// The repo's policy sampling 1 % of cells, so the ingest's length is the file's, not the PII scan's.
const governance = join(dir, 'governance.yml');
writeFileSync(
  governance,
  readFileSync(join(ROOT, 'governance.yml'), 'utf8')
    .replaceAll('dqdl/', `${ROOT}/dqdl/`)
    .replace('sampleFraction: 1.0', 'sampleFraction: 0.01'),
);
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [cli, '--lake', lake, '--governance', governance, ...args], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });

async function bigCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('data_key,data_load_date,data_location,customer_name,customer_email,customer_phone,comment1\n');
  const places = ['New York', 'Chicago', 'Seattle', 'Boston', 'Denver', 'Austin'];
  for (let i = 1, bytes = 0; bytes < MB * 2 ** 20; i++) {
    const line = `${i},2026-11-${String((i % 28) + 1).padStart(2, '0')},${places[i % places.length]},Customer ${i},customer${i}@example.com,(206) 555-${String(i % 10000).padStart(4, '0')},Order ${i} delivered on time with no further remarks from the courier\n`;
    bytes += line.length;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

async function main() {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [cli, '--lake', lake, '--governance', governance, 'demo', '--json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const file = join(dir, 'big.csv');
  await bigCsv(file);
  console.log(
    `reads during the ingest of a ${(statSync(file).size / 2 ** 20).toFixed(0)} MB CSV (lake ${lake})`,
  );

  const started = performance.now();
  const ingest: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      '--lake',
      lake,
      '--governance',
      governance,
      'ingest',
      file,
      '--table',
      'oktank_autogov_temp.customer',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let ingestErr = '';
  ingest.stderr!.on('data', (d) => (ingestErr += d));
  let done = false;
  const exited = new Promise<number | null>((r) =>
    ingest.once('exit', (code) => {
      done = true;
      r(code);
    }),
  );

  const reads: Record<string, string[]> = {
    tables: ['tables', '--json'],
    tags: ['tags', 'oktank_autogov_temp.customer'],
    access: ['access', 'oktank_autogov_temp.customer'],
    query: ['query', '--as', 'category2', 'SELECT count(*) AS n FROM oktank_autogov_temp.customer'],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(reads).map((k) => [k, []]));
  const failures: Record<string, string[]> = Object.fromEntries(Object.keys(reads).map((k) => [k, []]));
  while (!done)
    for (const [name, args] of Object.entries(reads)) {
      const t = performance.now();
      try {
        await run(args);
        if (!done) times[name]!.push((performance.now() - t) / 1000);
      } catch (err) {
        if (!done) failures[name]!.push(String((err as { stderr?: string }).stderr ?? err).split('\n')[0]!);
      }
    }
  const code = await exited;
  console.log(
    `  ingest: exit ${code} after ${((performance.now() - started) / 1000).toFixed(1)} s${code ? ` (${ingestErr.trim().split('\n')[0]})` : ''}`,
  );
  console.log('  command  answered  failed  median   slowest');
  for (const name of Object.keys(reads)) {
    const ms = times[name]!.sort((a, b) => a - b);
    const median = ms.length ? ms[Math.floor(ms.length / 2)]!.toFixed(2) : '-';
    const slowest = ms.length ? ms.at(-1)!.toFixed(2) : '-';
    console.log(
      `  ${name.padEnd(7)}  ${String(ms.length).padStart(8)}  ${String(failures[name]!.length).padStart(6)}  ${median.padStart(5)} s  ${slowest.padStart(5)} s${failures[name]![0] ? `  first failure: ${failures[name]![0]}` : ''}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
