import type { FieldProblem } from './errors';
import { isPlainObject, type JsonObject } from './json';

/** Limits of a profile's fields, shared by every layer that wants to describe them. */
export const PROFILE_LIMITS = {
  emailMaxLength: 254,
  emailLocalMaxLength: 64,
  nameMaxLength: 100,
  metadataMaxBytes: 16 * 1024,
  metadataMaxDepth: 8,
  metadataKeyMaxLength: 255,
} as const;

// The WHATWG "valid e-mail address" grammar, with at least one dot in the domain.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const E164 = /^\+[1-9][0-9]{1,14}$/;
const CONTROL_OR_LONE_SURROGATE = /[\p{Cc}\p{Cs}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
// Letters, digits, punctuation or symbols: a name of only spaces and zero-width characters is none.
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
// Explicit bidirectional formatting (LRM, RLM, ALM, embeddings, overrides, isolates): they can
// make a name display as another ("Trojan Source"); ZWJ and ZWNJ, which scripts need, stay allowed.
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The patterns of the domain's string fields, for every layer that describes or checks them. */
export const PROFILE_PATTERNS = {
  /** E.164: `+`, then 2 to 15 digits, the first not 0. */
  phoneNumber: E164,
  /** The ids of profiles and uploads: lower-case UUIDs. */
  id: UUID,
} as const;
const NUMBER_MIN_MAGNITUDE = 1e-130;

type Result<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (field: string, message: string): Result<never> => ({
  ok: false,
  problem: { field, message },
});

export function isUserId(value: string): boolean {
  return UUID.test(value);
}

export function parseEmail(raw: unknown, field = 'email'): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  const email = raw.trim().toLowerCase();
  if (email.length === 0) return fail(field, 'must not be empty');
  if (email.length > PROFILE_LIMITS.emailMaxLength) {
    return fail(field, `must be at most ${PROFILE_LIMITS.emailMaxLength} characters`);
  }
  const local = email.slice(0, email.indexOf('@'));
  if (!EMAIL.test(email) || local.length > PROFILE_LIMITS.emailLocalMaxLength) {
    return fail(field, 'must be a valid e-mail address');
  }
  return ok(email);
}

export function parseName(raw: unknown, field: string): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  const name = raw.trim();
  if (name.length === 0) return fail(field, 'must not be empty');
  if ([...name].length > PROFILE_LIMITS.nameMaxLength) {
    return fail(field, `must be at most ${PROFILE_LIMITS.nameMaxLength} characters`);
  }
  if (CONTROL_OR_LONE_SURROGATE.test(name)) {
    return fail(field, 'must not contain control characters');
  }
  if (BIDI_CONTROL.test(name)) {
    return fail(field, 'must not contain bidirectional control characters');
  }
  if (!VISIBLE.test(name)) return fail(field, 'must contain a visible character');
  return ok(name);
}

export function parsePhoneNumber(raw: unknown, field = 'phoneNumber'): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  if (!E164.test(raw)) return fail(field, 'must be in E.164 form, e.g. +14155550123');
  return ok(raw);
}

export function parseActive(raw: unknown, field = 'active'): Result<boolean> {
  return typeof raw === 'boolean' ? ok(raw) : fail(field, 'must be true or false');
}

/** A plain JSON object that DynamoDB can store exactly, of bounded size and depth. */
export function parseMetadata(
  raw: unknown,
  field = 'metadata',
  maxBytes: number = PROFILE_LIMITS.metadataMaxBytes,
): Result<JsonObject> {
  if (!isPlainObject(raw)) return fail(field, 'must be a JSON object');
  const problem = checkJson(raw, field, 1);
  if (problem) return { ok: false, problem };
  const bytes = utf8Length(JSON.stringify(raw));
  if (bytes > maxBytes) {
    return fail(field, `must be at most ${maxBytes} bytes as JSON`);
  }
  return ok(structuredCopy(raw) as JsonObject);
}

/**
 * True when objects or arrays are nested more than `max` deep in `value` (`{}` is 1 deep). Walks
 * without recursion, so any input can be measured before a recursive walk touches it.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function checkJson(value: unknown, path: string, depth: number): FieldProblem | undefined {
  switch (typeof value) {
    case 'string':
      return LONE_SURROGATE.test(value)
        ? { field: path, message: 'must be valid Unicode text' }
        : undefined;
    case 'boolean':
      return undefined;
    case 'number':
      return checkNumber(value, path);
    case 'object':
      break;
    default:
      return { field: path, message: 'must be a JSON value' };
  }
  if (value === null) return undefined;
  if (depth > PROFILE_LIMITS.metadataMaxDepth) {
    return {
      field: path,
      message: `must be nested at most ${PROFILE_LIMITS.metadataMaxDepth} deep`,
    };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = checkJson(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return { field: path, message: 'must be a JSON value' };
  for (const [key, child] of Object.entries(value)) {
    const keyProblem = checkKey(key, path);
    if (keyProblem) return keyProblem;
    const p = checkJson(child, `${path}.${key}`, depth + 1);
    if (p) return p;
  }
  return undefined;
}

function checkKey(key: string, path: string): FieldProblem | undefined {
  if (key.length === 0) return { field: path, message: 'keys must not be empty' };
  if (key.length > PROFILE_LIMITS.metadataKeyMaxLength) {
    return {
      field: path,
      message: `keys must be at most ${PROFILE_LIMITS.metadataKeyMaxLength} characters`,
    };
  }
  if (LONE_SURROGATE.test(key)) return { field: path, message: 'keys must be valid Unicode text' };
  if (key === '__proto__') return { field: path, message: 'key "__proto__" is not allowed' };
  return undefined;
}

function checkNumber(n: number, path: string): FieldProblem | undefined {
  const magnitude = Math.abs(n);
  // Beyond 2^53 a JSON number no longer round-trips exactly; below 1e-130 DynamoDB cannot store it.
  if (!Number.isFinite(n) || magnitude > Number.MAX_SAFE_INTEGER) {
    return { field: path, message: 'numbers must be between -(2^53-1) and 2^53-1' };
  }
  if (magnitude !== 0 && magnitude < NUMBER_MIN_MAGNITUDE) {
    return { field: path, message: 'number is too close to zero to be stored' };
  }
  return undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A deep copy of validated JSON, so callers cannot alter what the domain holds. */
export function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export type { Result };
