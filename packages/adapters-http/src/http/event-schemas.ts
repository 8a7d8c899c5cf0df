import { EVENT_PAGE_LIMITS } from '@userprofile/domain';
import {
  ChangeActor,
  ChangeEvent,
  EventFeedPage,
  EventHistoryPage,
  FeedQueryDto,
  HistoryQueryDto,
} from './event-dto';
import { documented, documentedQuery } from './request-schemas';
import { CACHE_CONTROL_HEADER, ME_READS_OWN, problems, userIdParams } from './schema-parts';

// The change feed's part of the document.

const EVENT_DATA =
  'An event carries ids, times and the names of the fields that changed, never their values: read the profile for those. A `profile.deleted` event carries no personal data, and deleting a profile erases its other events.';

export const EVENT_NAMED_SCHEMAS = [
  documented(
    ChangeActor,
    {
      $id: 'ChangeActor',
      description:
        'Who made the change: the profile’s `owner`, an `admin` (`id` is their subject, `open-api` for the open API’s caller), or the `system`.',
    },
    'response',
  ),
  documented(
    ChangeEvent,
    {
      $id: 'ChangeEvent',
      description: `One committed change of a profile. ${EVENT_DATA}`,
      properties: {
        id: {
          description: 'Unique per change and opaque: deliveries are at least once, dedupe by it.',
        },
        version: {
          description:
            'The profile’s version after the change: 1 when created, +1 per change, the last version + 1 when deleted. Suspension events count the subject’s suspension record instead.',
        },
        changed: {
          description: 'The names of the fields that changed (all set ones when created).',
        },
      },
    },
    'response',
  ),
  documented(
    EventFeedPage,
    {
      $id: 'EventFeedPage',
      description: 'Events in the order they were recorded, oldest first.',
      properties: {
        cursor: {
          description:
            'Opaque; pass it as `after` to go on, also when this page is empty (poll with it).',
        },
      },
    },
    'response',
  ),
  documented(
    EventHistoryPage,
    {
      $id: 'EventHistoryPage',
      description: 'A profile’s events, newest first.',
      properties: { cursor: { description: 'Opaque; absent on the last page.' } },
    },
    'response',
  ),
] as const;

const json = (schema: string, description: string) => ({
  description,
  headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
  content: { 'application/json': { schema: { $ref: `${schema}#` } } },
});

export const eventRouteSchemas = {
  events: {
    operationId: 'listEvents',
    summary: 'The change feed: every profile’s events in commit order (admins only)',
    description: `Events are kept ${14} days. Start without \`after\` (from the oldest kept), then pass each answer’s \`cursor\`: a consumer that was down catches up without a full read of the profiles. The newest seconds are shown once settled, so no event ever appears behind a cursor already given. ${EVENT_DATA}`,
    tags: ['events'],
    querystring: documentedQuery(FeedQueryDto, {
      properties: {
        limit: { default: EVENT_PAGE_LIMITS.default },
        after: { description: 'The `cursor` of an earlier page.' },
        types: {
          description: 'Only these types, comma-separated, e.g. `profile.created,profile.deleted`.',
          example: 'profile.created,profile.deleted',
        },
      },
    }),
    response: {
      200: json('EventFeedPage', 'The events after the cursor.'),
      ...problems(400, 401, 403, 503),
    },
  },
  history: {
    operationId: 'listProfileHistory',
    summary: 'A profile’s history: its events, newest first (owner and admins)',
    description: `${ME_READS_OWN}Another user’s history is 404, as their profile would be. ${EVENT_DATA}`,
    tags: ['events'],
    params: userIdParams,
    querystring: documentedQuery(HistoryQueryDto, {
      properties: {
        limit: { default: EVENT_PAGE_LIMITS.default },
        cursor: { description: 'The `cursor` of the previous page.' },
      },
    }),
    response: {
      200: json('EventHistoryPage', 'A page of the profile’s events.'),
      ...problems(400, 401, 403, 404, 503),
    },
  },
} as const;
