import { type ChildProcess, spawn } from 'node:child_process';

/** A moto server (AWS's APIs emulated by the moto project) that a test started and must stop. */
export interface Moto {
  /** `http://127.0.0.1:PORT`, for an SDK client's `endpoint`. */
  endpoint: string;
  /** Kills the server and waits until it has exited. */
  stop(): Promise<void>;
}

const INSTALL =
  "moto's server is not installed: run `python3 -m pip install 'moto[server]'` and re-run the test";
// Generous: moto imports every service on start, which takes seconds on a loaded machine.
const START_TIMEOUT_MS = 180_000;

/**
 * Starts `python3 -m moto.server` on 127.0.0.1 with port 0, so the OS picks a free port (the server
 * prints the one it bound), and resolves once the server answers HTTP. Rejects with what to install when
 * python3 or moto is missing — the calling test fails, it never passes without moto.
 */
export async function startMoto(): Promise<Moto> {
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test runner that dies without calling stop() must not leave the server behind.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    await kill(child);
    process.off('exit', onExit);
  };
  try {
    const endpoint = await boundEndpoint(child);
    await answering(endpoint);
    return { endpoint, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The `http://127.0.0.1:PORT` werkzeug prints once it listens; rejects if the process dies first. */
function boundEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`moto did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const bound = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!bound) return;
      clearTimeout(timer);
      resolve(bound);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(err.code === 'ENOENT' ? `python3 not found; ${INSTALL}` : err.message));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(/No module named/.test(output) ? INSTALL : `moto exited with ${code}:\n${output}`));
    });
  });
}

/** Resolves once the server answers an HTTP request (any status). */
async function answering(endpoint: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`moto at ${endpoint} does not answer: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
