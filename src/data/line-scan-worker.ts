// A worker thread of the quick pass (plainJsonLinesInParts): one range of a JSON lines file, its
// count (null when it cannot tell) posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { jsonLinePasses } from './json-line';
import { type ByteRange, plainJsonLines } from './line-scan';

const { path, range } = workerData as { path: string; range: ByteRange };
plainJsonLines(path, jsonLinePasses, range).then(
  (n) => parentPort?.postMessage(n ?? null),
  () => parentPort?.postMessage(null),
);
