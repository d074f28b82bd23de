import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export interface Page {
  /** evaluates a JavaScript expression in the page and returns its (JSON) value */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens a local HTML file in Debian's headless `chromium` and drives it over the DevTools protocol
 * on a pipe (no port, no network), so a test can read what a person sees: rendered text and
 * computed styles. Fails saying what to install when chromium is absent.
 */
export async function openInChromium(file: string): Promise<Page> {
  if (spawnSync('chromium', ['--version']).error)
    throw new Error(
      'chromium is not installed; install it with `apt-get install -y chromium` (.ci/run does)',
    );
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const child = spawn(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  // Open across a suite's tests (test/no-leaked-processes.ts would kill a tracked one after each
  // test); killed with the test runner if close() is never called.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let buffer = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const msg = JSON.parse(buffer.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      buffer = buffer.slice(end + 1);
      const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!waiter) continue;
      pending.delete(msg.id!);
      if (msg.error) waiter.reject(new Error(msg.error.message));
      else waiter.resolve(msg.result);
    }
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `chromium exited (${signal ?? code}) before answering:\n${stderr}`;
    for (const w of pending.values()) w.reject(new Error(exited));
    pending.clear();
  });
  child.once('error', (err) => {
    exited = `chromium did not start: ${err.message}`;
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(exited));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });

  const url = pathToFileURL(file).href;
  const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url });
  const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const res = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      { expression, returnByValue: true },
      sessionId,
    );
    if (res.exceptionDetails) throw new Error(`in the page: ${res.exceptionDetails.text}`);
    return res.result.value;
  };
  // Until the file (not the initial about:blank) has loaded.
  const loaded = `location.href === ${JSON.stringify(url)} && document.readyState === 'complete'`;
  while (!(await evaluate<boolean>(loaded))) await new Promise((r) => setTimeout(r, 50));
  return {
    evaluate,
    async close() {
      // Chromium may exit before it answers Browser.close: wait for the exit, not the answer.
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        void send('Browser.close').catch(() => {});
        await gone;
      }
      process.off('exit', onExit);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
