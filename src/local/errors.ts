// Emulators throw the SDK's own exception classes, so `err.name` and `instanceof` checks behave the
// same against a real client and locally. Codes the SDK does not model get the service base class.
import type { ResponseMetadata } from '@smithy/types';
import type { z } from 'zod';

type ExceptionCtor<E> = new (opts: { message: string; $metadata: ResponseMetadata }) => E;
type BaseCtor<E> = new (opts: {
  name: string;
  $fault: 'client' | 'server';
  $metadata: ResponseMetadata;
  message?: string;
}) => E;

/** A modeled exception, e.g. `awsError(NoSuchKey, 'The specified key does not exist.')`. */
export function awsError<E extends Error>(Ctor: ExceptionCtor<E>, message: string): E {
  const err = new Ctor({ message, $metadata: {} });
  // Glue and Lake Formation also model an upper-case `Message`; real errors carry both.
  Object.assign(err, { Message: message });
  return err;
}

/** An error code the SDK has no class for (e.g. S3 `InvalidRange`). */
export function awsCodeError<E extends Error>(
  Base: BaseCtor<E>,
  name: string,
  message: string,
  fault: 'client' | 'server' = 'client',
): E {
  return new Base({ name, $fault: fault, $metadata: {}, message });
}

/** True for errors thrown by the SDK or an emulator (they carry `$fault`), false for bugs. */
export function isServiceError(err: unknown): err is Error & { $fault: 'client' | 'server' } {
  return err instanceof Error && '$fault' in err;
}

/**
 * An input validator that fails the way the service does: the first problem, as the service's
 * validation error (e.g. `inputParser((m) => awsError(InvalidInputException, m))` for Glue).
 */
export function inputParser(toError: (message: string) => Error) {
  return <T>(schema: z.ZodType<T>, input: unknown): T => {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const i = r.error.issues[0]!;
    throw toError(`${i.path.join('.') || 'input'}: ${i.message}`);
  };
}
