import type { ProgressListener } from '../local/sfn';
import type { CommonOptions } from './common';

export interface ProgressReporter {
  onProgress?: ProgressListener;
  done(): void;
}

/**
 * On a terminal, one status line per execution showing the state it is in; silent for --json
 * and when output is piped, so machine output stays clean.
 */
export function progressReporter(opts: CommonOptions): ProgressReporter {
  const { stderr } = opts.io;
  const tty = stderr.isTTY && !opts.json;
  if (!tty) return { done: () => {} };
  let shown = false;
  return {
    onProgress: (arn, event) => {
      if (event.type !== 'StateEntered' || !event.state) return;
      const execution = arn.split(':').at(-1);
      stderr.write(`\r\x1b[2K… ${execution}: ${event.state}`);
      shown = true;
    },
    done: () => {
      if (shown) stderr.write('\r\x1b[2K');
    },
  };
}
