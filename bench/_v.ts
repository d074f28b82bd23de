import { validateDataFile } from '../src/data/validate';

async function main() {
  for (const f of process.argv.slice(2)) {
    const t0 = performance.now();
    const u0 = process.cpuUsage();
    try {
      await validateDataFile(f);
      console.log(f, 'ok');
    } catch (e) {
      console.log(f, (e as Error).message);
    }
    const u = process.cpuUsage(u0);
    console.log((performance.now() - t0).toFixed(0), 'ms wall', ((u.user + u.system) / 1000).toFixed(0), 'ms cpu', process.resourceUsage().maxRSS >> 10, 'MB');
  }
}
main();
