import { LIST_LIMITS, SEARCH_LIMITS } from '@userprofile/domain';
import { documentedQuery } from './request-schemas';
import { CACHE_CONTROL_HEADER, problems } from './schema-parts';
import { SearchUsersQueryDto } from './search-query';

// Administrators' search: its part of the document.

const KEYS =
  'Give exactly one of `name`, `email`, `emailDomain` and `username` (none, or two: 400).';
const COMPARED = `Compared without case or accents ("José" is found by "jose"), at most ${SEARCH_LIMITS.termMaxLength} characters.`;

export const searchRouteSchemas = {
  search: {
    operationId: 'searchProfiles',
    summary:
      'Search profiles by name, e-mail, e-mail domain or username, newest first (admins only)',
    description: `${KEYS} ${COMPARED} Pages are newest first by creation time and go to the very end: follow \`lastKey\` until there is none. Each request does a bounded amount of work, so a page may hold fewer than \`limit\` profiles (even none) and still have a \`lastKey\`. A profile is found as soon as its create or change is answered, and no longer by a name, address or handle it has changed.`,
    tags: ['users'],
    querystring: documentedQuery(SearchUsersQueryDto, {
      properties: {
        name: {
          description:
            'The start of the first, the last or the full name ("ada", "lov", "ada lov").',
        },
        email: { description: 'The start of the e-mail address ("ada.l").' },
        emailDomain: { description: 'The whole domain of the e-mail address ("gmail.com").' },
        username: { description: 'The start of the username.' },
        active: {
          description: 'Only active (true) or deactivated (false) profiles, as on the list.',
        },
        suspended: {
          description:
            'Only profiles suspended now (true) or not (false); a page may then hold fewer than `limit`.',
        },
        createdAfter: { description: 'Only profiles created after this instant (RFC 3339).' },
        createdBefore: { description: 'Only profiles created before this instant (RFC 3339).' },
        limit: { default: LIST_LIMITS.default },
        lastKey: {
          description:
            'The opaque cursor of the previous page of the same search (another search’s: 400).',
        },
      },
    }),
    response: {
      200: {
        description: 'A page of the profiles found, newest first.',
        headers: { 'Cache-Control': CACHE_CONTROL_HEADER },
        content: { 'application/json': { schema: { $ref: 'ProfilePage#' } } },
      },
      ...problems(400, 401, 403, 503),
    },
  },
} as const;
