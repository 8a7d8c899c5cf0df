import { ValidationFailed } from '../errors';
import type { Page } from '../ports';
import {
  matchesSearch,
  type ProfileSearch,
  type SearchCriteria,
  type SearchPageRequest,
} from '../profile-search';
import { structuredCopy } from '../profile-rules';
import type { UserProfile } from '../user-profile';

const CURSOR_PREFIX = 'memsearch1:';

/**
 * The search port over profiles held in memory (the in-memory repository's), with the DynamoDB
 * adapter's semantics (the contract suite proves it): newest first, pages of `limit`, a cursor
 * that only its own search accepts.
 */
export class InMemoryProfileSearch implements ProfileSearch {
  constructor(private readonly profiles: () => Iterable<UserProfile>) {}

  async search(criteria: SearchCriteria, { limit, cursor }: SearchPageRequest): Promise<Page> {
    const query = JSON.stringify(criteria);
    const before = cursor === undefined ? undefined : decode(cursor, query);
    const sorted = [...this.profiles()]
      .filter((p) => matchesSearch(p, criteria))
      .map((profile) => ({ profile, key: `${profile.createdAt}#${profile.userId}` }))
      .filter(({ key }) => before === undefined || key < before)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const items = sorted.slice(0, limit).map(({ profile }) => structuredCopy(profile));
    const last = sorted[limit - 1];
    return sorted.length > limit && last ? { items, cursor: encode(last.key, query) } : { items };
  }
}

const hex = (text: string) =>
  [...text].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('');

function encode(key: string, query: string): string {
  return CURSOR_PREFIX + hex(JSON.stringify({ k: key, q: query }));
}

function decode(cursor: string, query: string): string {
  const invalid = () => ValidationFailed.of('cursor', 'is not a cursor of this search');
  const body = cursor.startsWith(CURSOR_PREFIX) ? cursor.slice(CURSOR_PREFIX.length) : '';
  if (!/^(?:[0-9a-f]{4})+$/.test(body)) throw invalid();
  const text = body.replace(/.{4}/g, (code) => String.fromCharCode(parseInt(code, 16)));
  let parsed: { k?: unknown; q?: unknown };
  try {
    parsed = JSON.parse(text) as { k?: unknown; q?: unknown };
  } catch {
    throw invalid();
  }
  if (typeof parsed.k !== 'string' || parsed.q !== query) throw invalid();
  return parsed.k;
}
