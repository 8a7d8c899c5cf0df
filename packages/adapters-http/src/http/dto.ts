import {
  applyUpdate,
  applyMergePatch,
  newUserProfile,
  LIST_LIMITS,
  PROFILE_LIMITS,
  PROFILE_PATTERNS,
  FieldForbidden,
  ValidationFailed,
  type Editor,
  type FieldProblem,
  type UserProfile,
} from '@userprofile/domain';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validate,
} from 'class-validator';
import { LocaleField, TierField, TimeZoneField, UsernameField } from './profile-fields-dto';

// One definition per request body: the edge checks shape, type and the domain's own limits and
// patterns (imported, never copied); the OpenAPI schemas are generated from these classes
// (schemas.ts). The domain checks the meaning again (trimming first, e-mail syntax, visible
// characters, metadata), and a refused body gets both kinds of problem in one answer.
export const MUST_BE_STRING = { message: 'must be a string' };
const MUST_BE_OBJECT = { message: 'must be a JSON object' };
const MUST_BE_BOOLEAN = { message: 'must be true or false' };
const TOO_LONG = { message: 'is far too long' };
const atMost = (n: number) => ({ message: `must be at most ${n} characters` });
const NOT_EMPTY = { message: 'must not be empty' };
const E164 = { message: 'must be in E.164 form, e.g. +14155550123' };

export class CreateUserProfileDto {
  // Required by the domain, unless the caller's verified e-mail stands in for it (jwt mode).
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  firstName!: string;
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  lastName!: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @Matches(PROFILE_PATTERNS.phoneNumber, E164)
  phoneNumber?: string | null;
  @IsOptional() @IsObject(MUST_BE_OBJECT) metadata?: Record<string, unknown> | null;
  @UsernameField() username?: string | null;
  @LocaleField() locale?: string | null;
  @TimeZoneField() timeZone?: string | null;
  @TierField() appMetadata?: Record<string, unknown> | null;
  @TierField() publicMetadata?: Record<string, unknown> | null;
}

/** `PUT` and `PATCH` bodies: every field optional; `null` means remove (the domain decides where). */
export class ChangeUserProfileDto {
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  firstName?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MinLength(1, NOT_EMPTY)
  @MaxLength(PROFILE_LIMITS.nameMaxLength, atMost(PROFILE_LIMITS.nameMaxLength))
  lastName?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @Matches(PROFILE_PATTERNS.phoneNumber, E164)
  phoneNumber?: string | null;
  @IsOptional() @IsObject(MUST_BE_OBJECT) metadata?: Record<string, unknown> | null;
  @UsernameField() username?: string | null;
  @LocaleField() locale?: string | null;
  @TimeZoneField() timeZone?: string | null;
  @TierField() appMetadata?: Record<string, unknown> | null;
  @TierField() publicMetadata?: Record<string, unknown> | null;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) active?: boolean;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) blocked?: boolean;
}

const LIMIT = { message: `must be an integer from ${LIST_LIMITS.min} to ${LIST_LIMITS.max}` };

/** `GET /users`: its query, once `queryValues` has read the numbers and booleans in it. */
export class ListUsersQueryDto {
  @IsOptional()
  @IsInt(LIMIT)
  @Min(LIST_LIMITS.min, LIMIT)
  @Max(LIST_LIMITS.max, LIMIT)
  limit?: number;
  @IsOptional() @IsString(MUST_BE_STRING) @MaxLength(512, TOO_LONG) lastKey?: string;
  @IsOptional()
  @IsString(MUST_BE_STRING)
  @MaxLength(PROFILE_LIMITS.emailMaxLength, atMost(PROFILE_LIMITS.emailMaxLength))
  email?: string;
  @IsOptional() @IsBoolean(MUST_BE_BOOLEAN) active?: boolean;
  @IsOptional() @IsIn([true], { message: 'may only be true' }) suspended?: boolean;
}

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

const READ_ONLY = new Set([
  'userId',
  'photo',
  'emailChangedAt',
  'createdAt',
  'updatedAt',
  'version',
]);

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
 * What the domain would say of a body whose shape the edge refused, so that one answer names
 * every problem: the shape's and the meaning's (an e-mail that is no address beside a name that
 * is no string). Checked on a sample, never stored.
 */
export const MEANING = {
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
 * is refused, `meaning` adds the domain's problems with the other fields to the same answer.
 */
export async function validateDto<T extends object>(
  dtoClass: new () => T,
  input: unknown,
  where: 'body' | 'query' = 'body',
  meaning?: (input: object) => readonly FieldProblem[],
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
      ? READ_ONLY.has(e.property)
        ? 'is read-only and cannot be set'
        : 'is not a known field'
      : // A wrong type explains itself better than the length check that also failed.
        ((messages.find(([rule]) => rule.startsWith('is')) ?? messages[0])?.[1] ?? 'is not valid');
    return { field: e.property, message };
  });
  const named = new Set(problems.map((p) => p.field));
  for (const problem of meaning?.(input) ?? []) {
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
