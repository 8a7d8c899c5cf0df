import { FieldForbidden, type FieldProblem } from './errors';
import { isPlainObject, type JsonObject } from './json';
import { parseMetadata, PROFILE_LIMITS, type Result } from './profile-rules';

/**
 * The three metadata tiers: who writes each and how large it may be. `metadata` is the owner's
 * (owner and admins read it), `appMetadata` the administrators' (the owner reads it),
 * `publicMetadata` the owner's, shown to every signed-in user in the public profile.
 */
export const METADATA_TIERS = {
  metadata: { maxBytes: PROFILE_LIMITS.metadataMaxBytes, writers: 'owner' },
  appMetadata: { maxBytes: 8 * 1024, writers: 'admins' },
  publicMetadata: { maxBytes: 4 * 1024, writers: 'owner' },
} as const;

export type MetadataTier = keyof typeof METADATA_TIERS;
const METADATA_TIER_NAMES = Object.keys(METADATA_TIERS) as MetadataTier[];

export const isMetadataTier = (field: string): field is MetadataTier =>
  Object.hasOwn(METADATA_TIERS, field);

/** Limits and the character set of handles (`username`). */
export const USERNAME_RULES = {
  minLength: 3,
  maxLength: 30,
  /** ASCII letters, digits and `_`; unique regardless of case. */
  pattern: /^[A-Za-z0-9_]{3,30}$/,
  /** Handles nobody may claim (compared case-insensitively): they would pass for the service's. */
  reserved: [
    'admin',
    'administrator',
    'api',
    'help',
    'me',
    'moderator',
    'null',
    'official',
    'public',
    'root',
    'security',
    'staff',
    'support',
    'system',
    'undefined',
    'userprofile',
  ],
} as const;

/** The key a handle is unique by: its lower-case form. */
export const usernameKey = (username: string): string => username.toLowerCase();

const fail = (field: string, message: string): Result<never> => ({
  ok: false,
  problem: { field, message },
});

function parseUsername(raw: unknown, field = 'username'): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  if (!USERNAME_RULES.pattern.test(raw)) {
    return fail(
      field,
      `must be ${USERNAME_RULES.minLength} to ${USERNAME_RULES.maxLength} ASCII letters, digits or underscores`,
    );
  }
  if ((USERNAME_RULES.reserved as readonly string[]).includes(usernameKey(raw))) {
    return fail(field, 'is reserved');
  }
  return { ok: true, value: raw };
}

/** A BCP 47 language tag, in its canonical form (`EN-gb` becomes `en-GB`). */
function parseLocale(raw: unknown, field = 'locale'): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  try {
    const [canonical] = Intl.getCanonicalLocales(raw);
    if (canonical !== undefined) return { ok: true, value: canonical };
  } catch {
    // A RangeError: not a well-formed tag.
  }
  return fail(field, 'must be a BCP 47 language tag, e.g. en-GB');
}

let timeZones: ReadonlySet<string> | undefined;

/** An IANA time zone the runtime knows (`Europe/Paris`), or `UTC`; exactly as the list spells it. */
function parseTimeZone(raw: unknown, field = 'timeZone'): Result<string> {
  if (typeof raw !== 'string') return fail(field, 'must be a string');
  timeZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (!timeZones.has(raw)) return fail(field, 'must be an IANA time zone, e.g. Europe/Paris');
  return { ok: true, value: raw };
}

/** A metadata tier's value, checked as `metadata` is, against the tier's own size limit. */
const parseTier = (tier: MetadataTier, raw: unknown): Result<JsonObject> =>
  parseMetadata(raw, tier, METADATA_TIERS[tier].maxBytes);

/** The optional fields of this module, each removed by `null`. */
const OPTIONAL_FIELDS = {
  username: parseUsername,
  locale: parseLocale,
  timeZone: parseTimeZone,
  metadata: (raw: unknown) => parseTier('metadata', raw),
  appMetadata: (raw: unknown) => parseTier('appMetadata', raw),
  publicMetadata: (raw: unknown) => parseTier('publicMetadata', raw),
} as const;

export const OPTIONAL_FIELD_NAMES = Object.keys(OPTIONAL_FIELDS);

/** Sets (or, for `null`, removes) each optional field given in `body`, collecting problems. */
export function collectOptionalFields(
  problems: FieldProblem[],
  target: Record<string, unknown>,
  body: Record<string, unknown>,
): void {
  for (const [field, parse] of Object.entries(OPTIONAL_FIELDS)) {
    const raw = body[field];
    if (raw === null) delete target[field];
    else if (raw !== undefined) {
      const result = parse(raw);
      if (result.ok) target[field] = result.value;
      else problems.push(result.problem);
    }
  }
}

/**
 * The tiers only administrators write: anyone else naming one (even with `null`) is refused.
 * @throws FieldForbidden
 */
export function assertTierWriters(body: unknown, admin: boolean): void {
  if (admin || !isPlainObject(body)) return;
  for (const tier of METADATA_TIER_NAMES) {
    if (METADATA_TIERS[tier].writers === 'admins' && Object.hasOwn(body, tier)) {
      throw new FieldForbidden(tier, `${tier} may be written by administrators only.`);
    }
  }
}
