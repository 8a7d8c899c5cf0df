import { METADATA_TIERS, USERNAME_RULES } from '@userprofile/domain';
import { IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

// The edge's checks of the standard fields, the handle and the metadata tiers, shared by the
// request DTOs (dto.ts): the domain's own pattern and limits, never copies. The domain checks
// the meaning again (canonical locale, known time zone, reserved handles, sizes, keys).

type FieldDecorator = (target: object, property: string) => void;
const all =
  (...decorators: FieldDecorator[]): FieldDecorator =>
  (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };

const MUST_BE_STRING = { message: 'must be a string' };
const MUST_BE_OBJECT = { message: 'must be a JSON object' };
/** Longer than any tag or zone name: spares the domain's checks absurd input. */
const TAG_MAX_LENGTH = 64;

export const UsernameField = (): FieldDecorator =>
  all(
    IsOptional(),
    IsString(MUST_BE_STRING),
    Matches(USERNAME_RULES.pattern, {
      message: `must be ${USERNAME_RULES.minLength} to ${USERNAME_RULES.maxLength} ASCII letters, digits or underscores`,
    }),
  );

export const LocaleField = (): FieldDecorator =>
  all(
    IsOptional(),
    IsString(MUST_BE_STRING),
    MaxLength(TAG_MAX_LENGTH, { message: 'must be a BCP 47 language tag, e.g. en-GB' }),
  );

export const TimeZoneField = (): FieldDecorator =>
  all(
    IsOptional(),
    IsString(MUST_BE_STRING),
    MaxLength(TAG_MAX_LENGTH, { message: 'must be an IANA time zone, e.g. Europe/Paris' }),
  );

export const TierField = (): FieldDecorator => all(IsOptional(), IsObject(MUST_BE_OBJECT));

/** The document's words for these fields (schemas.ts adds them to the request and answer schemas). */
export const STANDARD_FIELD_WORDS = {
  username: {
    description: `A handle: ${USERNAME_RULES.minLength} to ${USERNAME_RULES.maxLength} ASCII letters, digits or underscores; unique regardless of case (409 USERNAME_TAKEN); some names are reserved (admin, support, ...). Shown in the public profile.`,
  },
  locale: {
    description: 'A BCP 47 language tag, stored in its canonical form (`EN-gb` becomes `en-GB`).',
  },
  timeZone: { description: 'An IANA time zone (`Europe/Paris`) or `UTC`.' },
  appMetadata: {
    description: `Administrators write it (anyone else: 403 naming the field); the owner reads it. A JSON object of at most ${METADATA_TIERS.appMetadata.maxBytes} bytes, merged key by key by PATCH.`,
  },
  publicMetadata: {
    description: `The owner writes it; every signed-in user reads it in the public profile. A JSON object of at most ${METADATA_TIERS.publicMetadata.maxBytes} bytes, merged key by key by PATCH.`,
  },
} as const;
