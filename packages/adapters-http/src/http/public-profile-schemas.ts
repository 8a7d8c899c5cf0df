import { PUBLIC_PROFILE_LIMITS } from '@userprofile/domain';
import { PUBLIC_CACHE_CONTROL } from './public-profile-controller';
import { PublicProfile, PublicProfiles } from './public-profile-dto';
import { PublicProfilesQueryDto } from './public-profile-query';
import { documented, documentedQuery } from './request-schemas';
import { problems, userIdParams } from './schema-parts';

// The public profiles' part of the document.

const publicProfileSchema = documented(
  PublicProfile,
  {
    $id: 'PublicProfile',
    description:
      'What any signed-in user sees of a profile: never its e-mail, phone number, metadata, appMetadata, flags or timestamps.',
    properties: {
      displayName: {
        description:
          'The name shown to others, in the style the service is configured with: first and last name, first name and last initial ("Ada L."), or first name only.',
      },
      publicMetadata: { description: 'The owner’s publicMetadata.' },
    },
  },
  'response',
);

const publicProfilesSchema = documented(
  PublicProfiles,
  {
    $id: 'PublicProfiles',
    description:
      'The profiles asked for that can be shown, in the order asked, and what was asked for and cannot be shown.',
    properties: {
      missing: {
        description:
          'The ids (or the username) asked for and not returned: unknown, deleted, deactivated or suspended, all alike.',
      },
    },
  },
  'response',
);

export const PUBLIC_PROFILE_NAMED_SCHEMAS = [publicProfileSchema, publicProfilesSchema] as const;

const CONTENT_ETAG = {
  type: 'string',
  pattern: '^"[A-Za-z0-9_-]+"$',
  description: 'A tag of the answer’s content: send it in If-None-Match to revalidate.',
  required: true,
};
const PUBLIC_CACHE = {
  type: 'string',
  enum: [PUBLIC_CACHE_CONTROL],
  description: 'The caller’s own cache may keep it for a minute; no shared cache may.',
  required: true,
};
const ifNoneMatch = {
  type: 'object',
  properties: {
    'if-none-match': {
      type: 'string',
      description: 'ETags already held, or `*`: 304 when the answer is unchanged.',
    },
  },
} as const;
const answer = (schema: string, description: string) => ({
  200: {
    description,
    headers: { ETag: CONTENT_ETAG, 'Cache-Control': PUBLIC_CACHE },
    content: { 'application/json': { schema: { $ref: `${schema}#` } } },
  },
  304: {
    type: 'null',
    description: 'Not modified: the ETag given is still current.',
    headers: { ETag: CONTENT_ETAG, 'Cache-Control': PUBLIC_CACHE },
  },
});

const WHO =
  'For any signed-in user (jwt mode: any valid token; the open API has no sign-in, so any caller). Deactivated, suspended and deleted profiles are absent alike.';

export const publicProfileRouteSchemas = {
  publicProfile: {
    operationId: 'getPublicProfile',
    summary: 'Read the public part of anyone’s profile',
    description: `${WHO} An absent profile is 404.`,
    tags: ['public profiles'],
    params: {
      ...userIdParams,
      properties: {
        userId: {
          ...userIdParams.properties.userId,
          description: 'The profile id (a UUID), or `me` for the caller’s own public profile.',
        },
      },
    },
    headers: ifNoneMatch,
    response: {
      ...answer('PublicProfile', 'The public profile.'),
      ...problems(400, 401, 403, 404, 414, 503),
    },
  },
  publicProfiles: {
    operationId: 'getPublicProfiles',
    summary: 'Read the public profiles of up to 100 users, or the one with a username',
    description: `${WHO} Give either \`ids\` or \`username\`. Each call reads at most ${PUBLIC_PROFILE_LIMITS.maxIds} profiles in one batch.`,
    tags: ['public profiles'],
    querystring: documentedQuery(PublicProfilesQueryDto, {
      properties: {
        ids: {
          description: `1 to ${PUBLIC_PROFILE_LIMITS.maxIds} profile ids, comma-separated.`,
        },
        username: { description: 'A username, in any case.' },
      },
    }),
    headers: ifNoneMatch,
    response: {
      ...answer('PublicProfiles', 'The profiles found, and the ids (or username) not returned.'),
      ...problems(400, 401, 403, 414, 503),
    },
  },
} as const;
