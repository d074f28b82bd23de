/**
 * An error caused by what the user gave us (a file, a flag, a config value). The CLI prints its
 * message as one line and exits non-zero, without a stack trace unless --debug.
 * The message names the file or field and says what to do.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
