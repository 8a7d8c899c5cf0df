import { cursorsAt, encodeCursor, encodeSearchCursor } from '@userprofile/adapters-dynamo';
import { profileEventId, type ChangeEvent } from '@userprofile/domain';
import type { ChangeUserProfileDto, CreateUserProfileDto, ListUsersQueryDto } from './dto';
import type { FeedQueryDto, HistoryQueryDto } from './event-dto';
import type { PhotoCommitDto, PhotoUploadRequestDto } from './photo-dto';
import type { SuspensionRequestDto } from './suspension-dto';
import type { PublicProfilesQueryDto } from './public-profile-query';
import type { SearchUsersQueryDto } from './search-query';
import type { WebhookRequestDto } from './webhook-dto';

// The document's examples, one per parameter and request body, typed by the DTOs that validate
// them. The document attaches them by operation id (openapi.ts); a run of the examples against the
// service (openapi-examples.int.test.ts, and Dredd in dredd.int.test.ts) first stores the profiles,
// the upload and the webhook endpoints below, which the examples name, and then gets each
// operation's documented success.

/** The profile the examples read, change, give a photo and suspend. */
export const EXAMPLE_PROFILE = {
  userId: '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01',
  email: 'grace.hopper@example.com',
  firstName: 'Grace',
  lastName: 'Hopper',
  username: 'grace_hopper',
  publicMetadata: { bio: 'Compiler pioneer' },
} as const;

/** The profile the delete example removes, so that the other examples still find theirs. */
const EXAMPLE_PROFILE_TO_DELETE = {
  userId: '5d0c7a52-8f3e-4b1a-a6c4-2e9b7f1d3c88',
  email: 'alan.turing@example.com',
  firstName: 'Alan',
  lastName: 'Turing',
} as const;

/** The upload the commit example names: a run of the examples stores a photo under it first. */
export const EXAMPLE_UPLOAD_ID = '3f9a1c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';

/** The profiles a run of the examples stores first. */
export const EXAMPLE_FIXTURES = [EXAMPLE_PROFILE, EXAMPLE_PROFILE_TO_DELETE] as const;

/**
 * Where the examples' webhooks are sent: loopback, which the SSRF guard allows only with
 * `ENVIRONMENT=local` (the local server's, and the tests'); deployed, an endpoint must be https to
 * a public address.
 */
const EXAMPLE_WEBHOOK_URL = 'http://127.0.0.1:8787/user-profile-events';

/** The endpoint the examples rotate, disable and enable. */
const EXAMPLE_WEBHOOK = {
  id: '7c1e4b2a-9d3f-4a6b-8e5c-0f1a2b3c4d5e',
  url: EXAMPLE_WEBHOOK_URL,
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;

/** The endpoint the delete example removes, before the others' examples (document order). */
const EXAMPLE_WEBHOOK_TO_DELETE = {
  id: 'e2d4f6a8-1b3c-4d5e-9f70-8a9b0c1d2e3f',
  url: EXAMPLE_WEBHOOK_URL,
  createdAt: '2026-01-01T00:00:01.000Z',
} as const;

/** The webhook endpoints a run of the examples registers first (each with a secret of its own). */
export const EXAMPLE_WEBHOOK_FIXTURES = [EXAMPLE_WEBHOOK, EXAMPLE_WEBHOOK_TO_DELETE] as const;

/** One operation's examples: its path parameters, query parameters, headers and body. */
export interface OperationExamples {
  readonly userId?: string;
  readonly webhookId?: string;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: object;
}

const NEW_PROFILE = {
  // Free: no fixture has it, so the create succeeds next to them.
  email: 'ada.lovelace@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  phoneNumber: '+441234567890',
  metadata: { theme: 'dark' },
  username: 'ada_lovelace',
  locale: 'en-GB',
  timeZone: 'Europe/London',
  publicMetadata: { bio: 'Analyst of the Analytical Engine' },
} satisfies CreateUserProfileDto;

const LIST_QUERY = {
  limit: 20,
  // A position in the list (the deployed store's cursor): the profiles created before it.
  lastKey: encodeCursor(`2026-01-01T00:00:00.000Z#${EXAMPLE_PROFILE.userId}`),
  email: EXAMPLE_PROFILE.email,
  active: true,
  suspended: true,
} satisfies ListUsersQueryDto;

/**
 * A search with every filter; its `lastKey` is that search's (the deployed store's cursor): the
 * matches created before it. `email`, `emailDomain` and `username` are the alternatives to `name`,
 * each asked on its own.
 */
const SEARCH_QUERY = {
  name: 'grace h',
  active: true,
  suspended: false,
  createdAfter: '2000-01-01T00:00:00Z',
  createdBefore: '2100-01-01T00:00:00Z',
  limit: 20,
  lastKey: encodeSearchCursor(`2099-01-01T00:00:00.000Z#${EXAMPLE_PROFILE.userId}`, {
    field: 'name',
    term: 'grace h',
    active: true,
    createdAfter: '2000-01-01T00:00:00.000Z',
    createdBefore: '2100-01-01T00:00:00.000Z',
  }),
  email: 'grace.h',
  emailDomain: 'example.com',
  username: 'grace',
} satisfies SearchUsersQueryDto;

/** An event of the example profile (its second version), as the deployed store records it. */
const EXAMPLE_EVENT = {
  id: profileEventId(EXAMPLE_PROFILE.userId, '2026-01-01T00:00:00.000Z', 2),
  type: 'profile.updated',
  time: '2026-01-02T09:30:00.000Z',
  profileId: EXAMPLE_PROFILE.userId,
  version: 2,
  actor: { kind: 'owner', id: EXAMPLE_PROFILE.userId },
  changed: ['lastName'],
} satisfies ChangeEvent;
/** The deployed store's cursors at that event: the feed after it, the history before it. */
const EVENT_CURSORS = cursorsAt(EXAMPLE_EVENT, Date.parse('2026-01-02T09:30:00.120Z'));

const FEED_QUERY = {
  limit: 100,
  after: EVENT_CURSORS.after,
  types: 'profile.created,profile.deleted',
} satisfies FeedQueryDto;

const HISTORY_QUERY = { limit: 10, cursor: EVENT_CURSORS.cursor } satisfies HistoryQueryDto;

/** `*`: any current version, so the example holds whatever the profile's version is. */
const IF_MATCH = { 'if-match': '*' };
const owner = { userId: EXAMPLE_PROFILE.userId };

/** Every operation's examples, by operation id. */
export const OPERATION_EXAMPLES: Readonly<Record<string, OperationExamples>> = {
  createProfile: {
    headers: { 'idempotency-key': '8a6e0804-2bd0-4672-b79d-d97027f9071a' },
    body: NEW_PROFILE,
  },
  listProfiles: { query: LIST_QUERY },
  searchProfiles: { query: SEARCH_QUERY },
  // An ETag of another version than the profile's: the answer is the profile, 200.
  getProfile: { ...owner, headers: { 'if-none-match': '"41"' } },
  updateProfile: {
    ...owner,
    headers: IF_MATCH,
    body: { lastName: 'Murray Hopper', phoneNumber: '+14155550123' } satisfies ChangeUserProfileDto,
  },
  patchProfile: {
    ...owner,
    headers: IF_MATCH,
    body: {
      metadata: { theme: 'light', lang: 'en' },
      publicMetadata: { bio: 'Rear admiral' },
      timeZone: 'America/New_York',
    } satisfies ChangeUserProfileDto,
  },
  deleteProfile: { userId: EXAMPLE_PROFILE_TO_DELETE.userId, headers: IF_MATCH },
  startPhotoUpload: {
    ...owner,
    body: { contentType: 'image/jpeg', contentLength: 48_213 } satisfies PhotoUploadRequestDto,
  },
  commitPhoto: {
    ...owner,
    headers: IF_MATCH,
    body: { uploadId: EXAMPLE_UPLOAD_ID } satisfies PhotoCommitDto,
  },
  removePhoto: { ...owner, headers: IF_MATCH },
  suspendAccount: {
    ...owner,
    body: {
      reason: 'SPAM',
      note: 'Sent the same message to 400 profiles in an hour.',
      until: '2099-01-01T00:00:00Z',
    } satisfies SuspensionRequestDto,
  },
  // Read before the suspension example below hides the profile from others.
  getPublicProfile: { ...owner, headers: { 'if-none-match': '"an-older-tag"' } },
  getPublicProfiles: {
    query: {
      ids: EXAMPLE_PROFILE.userId,
      username: EXAMPLE_PROFILE.username,
    } satisfies PublicProfilesQueryDto,
    headers: { 'if-none-match': '"an-older-tag"' },
  },
  liftSuspension: owner,
  listSuspensions: owner,
  listEvents: { query: FEED_QUERY },
  listProfileHistory: { ...owner, query: HISTORY_QUERY },
  createWebhook: {
    body: {
      url: EXAMPLE_WEBHOOK_URL,
      types: ['profile.created', 'profile.deleted'],
    } satisfies WebhookRequestDto,
  },
  rotateWebhookSecret: { webhookId: EXAMPLE_WEBHOOK.id },
  disableWebhook: { webhookId: EXAMPLE_WEBHOOK.id },
  enableWebhook: { webhookId: EXAMPLE_WEBHOOK.id },
  deleteWebhook: { webhookId: EXAMPLE_WEBHOOK_TO_DELETE.id },
};
