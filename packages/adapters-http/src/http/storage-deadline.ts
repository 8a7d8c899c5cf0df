import type { FastifyRequest } from 'fastify';

/**
 * How long a request's storage calls may take, all retries included, where no Lambda says: well
 * within the listening server's 15 s request timeout.
 */
const STORAGE_BUDGET_MS = 8_000;
/**
 * What a Lambda keeps back from its remaining time: the attempt in flight at the deadline may
 * still take its connection and request timeouts (1 s each), then the 503 must be written.
 */
const LAMBDA_ANSWER_MARGIN_MS = 2_500;

/** When this request's storage calls must stop, so that it answers 503 rather than time out. */
export function storageDeadlineOf(request: FastifyRequest): number {
  const lambda = (request as { awsLambda?: { context?: { getRemainingTimeInMillis?: unknown } } })
    .awsLambda?.context;
  // Any caller of the handler may pass a context of its own: use the remaining time only if told.
  const remaining =
    typeof lambda?.getRemainingTimeInMillis === 'function'
      ? Number((lambda.getRemainingTimeInMillis as () => number)())
      : undefined;
  const budget =
    remaining !== undefined && Number.isFinite(remaining)
      ? Math.max(0, remaining - LAMBDA_ANSWER_MARGIN_MS)
      : STORAGE_BUDGET_MS;
  return Date.now() + budget;
}
