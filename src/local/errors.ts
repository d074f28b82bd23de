// Emulators throw errors shaped as the SDK's exceptions — the modeled name, `$fault` and `$metadata` —
// so `err.name` checks behave the same against a real client and locally, and so does `instanceof` the
// SDK's class (the SDK matches its exceptions by name, as it must across two copies of a client). They
// name the class rather than import it: loading a client module costs a run ~0.1 s.
import type { ResponseMetadata } from '@smithy/types';
import type { z } from 'zod';

/** The modeled exceptions of a client module, e.g. `ExceptionName<typeof s3>` for `import type * as s3`. */
export type ExceptionName<M> = {
  [K in keyof M]: M[K] extends abstract new (
    ...args: never[]
  ) => { readonly name: K; readonly $fault: 'client' }
    ? K
    : never;
}[keyof M] &
  string;

/** An error as the SDK raises it for a service's error code. */
class ServiceError extends Error {
  readonly $metadata: ResponseMetadata = {};
  constructor(
    name: string,
    message: string,
    readonly $fault: 'client' | 'server',
  ) {
    super(message);
    this.name = name;
  }
}

/**
 * A modeled exception by its SDK class name, `awsError<typeof s3>('NoSuchKey', 'The specified key does
 * not exist.')`.
 */
export function awsError<M>(name: NoInfer<ExceptionName<M>>, message: string): Error {
  const err = new ServiceError(name, message, 'client');
  // Glue and Lake Formation also model an upper-case `Message`; real errors carry both.
  Object.assign(err, { Message: message });
  return err;
}

/** An error code the SDK has no class for (e.g. S3 `InvalidRange`). */
export function awsCodeError(name: string, message: string, fault: 'client' | 'server' = 'client'): Error {
  return new ServiceError(name, message, fault);
}

/** True for errors thrown by the SDK or an emulator (they carry `$fault`), false for bugs. */
export function isServiceError(err: unknown): err is Error & { $fault: 'client' | 'server' } {
  return err instanceof Error && '$fault' in err;
}

/**
 * An input validator that fails the way the service does: the first problem, as the service's
 * validation error (e.g. `inputParser((m) => awsError<typeof glue>('InvalidInputException', m))`).
 */
export function inputParser(toError: (message: string) => Error) {
  return <T>(schema: z.ZodType<T>, input: unknown): T => {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const i = r.error.issues[0]!;
    throw toError(`${i.path.join('.') || 'input'}: ${i.message}`);
  };
}
