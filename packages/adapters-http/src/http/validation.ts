// The validation of requests at the edge: a DTO class checked with class-validator (unknown and
// read-only fields refused by name), query strings typed first, and the domain's own problems
// with a refused profile body added, so that one answer names every problem.
import {
  applyUpdate,
  applyMergePatch,
  newUserProfile,
  FieldForbidden,
  READ_ONLY_FIELDS,
  ValidationFailed,
  type Editor,
  type FieldProblem,
  type UserProfile,
} from '@userprofile/domain';
import { validate } from 'class-validator';

/**
 * A query string's values as the DTO types them: a whole number for `limit` (digits only), a
 * boolean for `active` (`true` or `false`); anything else is left as sent, for the DTO to refuse.
 */
export function queryValues(query: unknown): Record<string, unknown> {
  if (typeof query !== 'object' || query === null) return {};
  const values: Record<string, unknown> = { ...(query as Record<string, unknown>) };
  if (typeof values.limit === 'string' && /^\d{1,6}$/.test(values.limit)) {
    values.limit = Number(values.limit);
  }
  for (const flag of ['active', 'suspended']) {
    if (values[flag] === 'true' || values[flag] === 'false') values[flag] = values[flag] === 'true';
  }
  return values;
}

/** A profile to try changes on: the domain's problems with a change body, without storage. */
const SAMPLE_TIME = new Date(0);
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
let sample: UserProfile | undefined;
/** Made on the first refused body, not at every cold start. */
const SAMPLE = () =>
  (sample ??= newUserProfile(
    { email: 'sample@example.com', firstName: 'Sample', lastName: 'Sample' },
    { userId: SAMPLE_ID, now: SAMPLE_TIME },
  ));

export function problemsOf(run: () => unknown): readonly FieldProblem[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    // Who may write a field is the use case's to say, for a body of the right shape.
    if (error instanceof FieldForbidden) return [];
    throw error;
  }
}

/**
 * The domain's problems with a profile body whose shape the edge refused, so that one answer names
 * every problem: the shape's and the domain's (an e-mail that is no address beside a name that is
 * no string). Checked on a sample profile, never stored.
 */
export const DOMAIN_PROBLEMS = {
  create: (body: object) =>
    problemsOf(() => newUserProfile(body, { userId: SAMPLE_ID, now: SAMPLE_TIME })),
  update: (body: object, editor: Editor) =>
    problemsOf(() => applyUpdate(SAMPLE(), body, SAMPLE_TIME, editor)),
  mergePatch: (body: object, editor: Editor) =>
    problemsOf(() => applyMergePatch(SAMPLE(), body, SAMPLE_TIME, editor)),
};

/**
 * Checks `input` against a DTO class. Unknown fields are refused (read-only ones by name); the
 * input itself is returned untouched for the domain, which applies its own rules. When the shape
 * is refused, `domainProblems` adds the domain's problems with the other fields to the same
 * answer.
 */
export async function validateDto<T extends object>(
  dtoClass: new () => T,
  input: unknown,
  where: 'body' | 'query' = 'body',
  domainProblems?: (input: object) => readonly FieldProblem[],
): Promise<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw ValidationFailed.of(where, `the ${where} must be a JSON object`);
  }
  const dto = Object.assign(new dtoClass(), input);
  const errors = await validate(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return input as T;
  const problems: FieldProblem[] = errors.map((e) => {
    const messages = Object.entries(e.constraints ?? {});
    const unknown = messages.some(([rule]) => rule === 'whitelistValidation');
    const message = unknown
      ? READ_ONLY_FIELDS.has(e.property)
        ? 'is read-only and cannot be set'
        : 'is not a known field'
      : // A wrong type explains itself better than the length check that also failed.
        ((messages.find(([rule]) => rule.startsWith('is')) ?? messages[0])?.[1] ?? 'is not valid');
    return { field: e.property, message };
  });
  const named = new Set(problems.map((p) => p.field));
  for (const problem of domainProblems?.(input) ?? []) {
    if (!named.has(problem.field)) {
      named.add(problem.field);
      problems.push(problem);
    }
  }
  // In the order of the fields in the request, whichever check found them.
  const order = new Map(Object.keys(input).map((field, i) => [field, i]));
  const rank = (field: string) => order.get(field) ?? (field === '' ? -1 : order.size);
  throw new ValidationFailed([...problems].sort((a, b) => rank(a.field) - rank(b.field)));
}
