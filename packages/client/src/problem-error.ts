import type { SchemaProblem as Problem } from './schema.js';

/** An answer of the API that is a problem (RFC 9457): its status, stable code and details. */
export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.code = problem.code;
  }
}

/** What openapi-fetch answers: the body parsed (or the error's), and the response. */
export type Result<T> = { data?: T; error?: unknown; response: Response };

/** Throws the answer's problem as a `ProblemError` (one without a problem body too). */
export function throwProblem(result: Result<unknown>): void {
  if (result.response.ok || result.response.status === 304) return;
  const problem = result.error as Problem | undefined;
  if (problem && typeof problem === 'object' && typeof problem.code === 'string') {
    throw new ProblemError(problem);
  }
  throw new ProblemError({
    type: 'about:blank',
    title: result.response.statusText,
    status: result.response.status,
    detail: `HTTP ${result.response.status} without a problem body`,
    code: 'UNEXPECTED_RESPONSE' as Problem['code'],
  });
}
