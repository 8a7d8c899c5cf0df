import { searchTermsOf, SEARCH_FIELDS, type UserProfile } from '@userprofile/domain';
import { listKeyOf, listShardOf } from './profile-item';

/**
 * The longest prefix a search item is kept for. A longer search term is looked up by its first
 * `SEARCH_PREFIX_MAX_LENGTH` characters and checked against the item's whole term (ADR 0021).
 */
export const SEARCH_PREFIX_MAX_LENGTH = 8;

/** The item type of search items (in the profile table only on stacks deployed before ADR 0025). */
export const SEARCH_ITEM_TYPE = 'SEARCH';

/**
 * The first `length` characters of a term: code points, never half of a surrogate pair (an emoji
 * or a CJK extension character is one character, and a lone surrogate is no text to store).
 */
export const searchPrefix = (term: string, length = SEARCH_PREFIX_MAX_LENGTH) =>
  Array.from(term).slice(0, length).join('');

/**
 * One prefix of one normalised term of a profile, an item of the search table (ADR 0025): in the
 * `SearchIndex` partition of its field, prefix and list shard, under the profile's list key.
 * `term` (and `altTerm`, when the full and the last name share this prefix) are the whole terms,
 * for searches longer than the prefix.
 */
export interface SearchItem {
  userId: string;
  itemType: typeof SEARCH_ITEM_TYPE;
  ownerId: string;
  searchKey: string;
  listKey: string;
  term: string;
  altTerm?: string;
}

/** The `SearchIndex` partition of a field's prefix in one shard. */
export const searchPartition = (field: string, prefix: string, shard: string) =>
  `${field}#${prefix}#${shard}`;

/** Every search item of a profile, one per field and distinct prefix (at most 33). */
export function searchItemsOf(profile: UserProfile): SearchItem[] {
  const shard = listShardOf(profile.userId);
  const listKey = listKeyOf(profile);
  const terms = searchTermsOf(profile);
  const items = new Map<string, SearchItem>();
  for (const field of SEARCH_FIELDS) {
    for (const term of terms[field]) {
      // A domain is found only whole: one item, its prefix the domain itself.
      const chars = Array.from(term);
      const lengths =
        field === 'emailDomain'
          ? [chars.length]
          : Array.from(
              { length: Math.min(chars.length, SEARCH_PREFIX_MAX_LENGTH) },
              (_, i) => i + 1,
            );
      for (const length of lengths) {
        const prefix = searchPrefix(term, length);
        const userId = `SEARCH#${profile.userId}#${field}#${prefix}`;
        const same = items.get(userId);
        if (same) {
          if (same.term !== term) same.altTerm = term;
          continue;
        }
        items.set(userId, {
          userId,
          itemType: SEARCH_ITEM_TYPE,
          ownerId: profile.userId,
          searchKey: searchPartition(field, prefix, shard),
          listKey,
          term,
        });
      }
    }
  }
  return [...items.values()];
}

type SearchWrite =
  | { Put: { TableName: string; Item: SearchItem } }
  | { Delete: { TableName: string; Key: { userId: string } } };

/**
 * The writes that take a profile's search items from `previous` to `next` (either absent for a
 * create or a delete), for the same transaction as the profile: items no longer wanted deleted,
 * new or changed ones put, unchanged ones left alone (a change of phone number writes none).
 */
export function searchWrites(
  tableName: string,
  previous: UserProfile | undefined,
  next: UserProfile | undefined,
): SearchWrite[] {
  const before = new Map((previous ? searchItemsOf(previous) : []).map((i) => [i.userId, i]));
  const after = next ? searchItemsOf(next) : [];
  const wanted = new Set(after.map((i) => i.userId));
  const writes: SearchWrite[] = [];
  for (const key of before.keys()) {
    if (!wanted.has(key)) writes.push({ Delete: { TableName: tableName, Key: { userId: key } } });
  }
  for (const item of after) {
    const old = before.get(item.userId);
    if (old?.term !== item.term || old.altTerm !== item.altTerm) {
      writes.push({ Put: { TableName: tableName, Item: item } });
    }
  }
  return writes;
}
