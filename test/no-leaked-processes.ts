// A test that leaves a CLI process behind (e.g. it was cut off) fails loudly here, and the process is
// killed, so the next test does not find the lake locked by it.
import { running } from './support/processes';

afterEach(() => {
  if (!running.size) return;
  const left = [...running].map((c) => `pid ${c.pid}: ${c.spawnargs.slice(2).join(' ')}`);
  for (const c of running) c.kill('SIGKILL');
  running.clear();
  throw new Error(`test left ${left.length} process(es) running, killed:\n${left.join('\n')}`);
});
