// Typed errors for bad input: every reader throws these, never a bare Error, so callers can show one clear line.

export type DatasetErrorCode =
  | 'empty'            // zero bytes, or no rows where rows are required
  | 'binary'           // a binary file under a text extension
  | 'encrypted'        // encrypted Parquet
  | 'corrupt'          // truncated or malformed file
  | 'unsupported'      // a valid file using a feature Strata does not read
  | 'unknown-format'   // the extension/magic says nothing we know
  | 'too-large'        // a bound (cell size, column count) was exceeded
  | 'cancelled'
  | 'io';              // the underlying read failed

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(readonly code: DatasetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isDatasetError(e: unknown): e is DatasetError {
  return e instanceof Error && e.name === 'DatasetError' && typeof (e as DatasetError).code === 'string';
}

export function cancelledError(): DatasetError {
  return new DatasetError('cancelled', 'cancelled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) { throw cancelledError(); }
}

/**
 * Resolves on a later turn of the event loop (a timer, not a microtask), so that a long computation split at its
 * calls lets the thread hear the messages queued meanwhile, cancels included.
 */
export function nextTurn(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}
