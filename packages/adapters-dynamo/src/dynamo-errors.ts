import { StorageUnavailable } from '@userprofile/domain';

/** Failures of the storage that a retry later may fix: throttling, timeouts, lost connections. */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'StorageDeadlineExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

// The SDK wraps errors it does not recognise as `Error` ("AWS SDK error wrapper for ..."), keeping
// only the message: recognise the socket codes there too.
const TRANSIENT_MESSAGE = new RegExp(
  `socket hang up|\\b(?:${[...TRANSIENT_CODES].join('|')})\\b`,
  'i',
);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: unknown;
}

// Duck-typed on purpose: Node's socket errors come from another realm under some test runners,
// where `instanceof Error` is false.
const asErrorLike = (error: unknown): ErrorLike =>
  typeof error === 'object' && error !== null ? (error as ErrorLike) : {};

export function isTransient(error: unknown): boolean {
  const { name, code, message, $retryable } = asErrorLike(error);
  return (
    (typeof name === 'string' && TRANSIENT_NAMES.has(name)) ||
    (typeof code === 'string' && TRANSIENT_CODES.has(code)) ||
    $retryable !== undefined ||
    (typeof message === 'string' && TRANSIENT_MESSAGE.test(message))
  );
}

/**
 * Runs one storage call and translates what the SDK could not recover from (after its own bounded
 * retries) into the domain's `StorageUnavailable`; everything else is rethrown unchanged.
 */
export async function translateTransient<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTransient(error)) throw new StorageUnavailable({ cause: error });
    throw error;
  }
}

/** The cancellation reason codes of a TransactionCanceledException, in item order. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (asErrorLike(error).name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] })
    .CancellationReasons;
  return reasons?.map((r) => (r.Code === 'None' ? undefined : r.Code));
}

export function cancellationItem(
  error: unknown,
  index: number,
): Record<string, unknown> | undefined {
  const reasons = (error as { CancellationReasons?: { Item?: Record<string, unknown> }[] })
    .CancellationReasons;
  return reasons?.[index]?.Item;
}
