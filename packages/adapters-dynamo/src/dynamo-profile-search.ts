import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  matchesSearch,
  type Page,
  type ProfileSearch,
  type SearchCriteria,
  type SearchPageRequest,
} from '@userprofile/domain';
import { batchGet } from './batch-reads';
import { translateTransient } from './dynamo-errors';
import { toProfile } from './profile-item';
import type { ProfileTables } from './profile-tables';
import { mergeShards } from './profile-listing';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { searchPartition, searchPrefix, type SearchItem } from './search-items';
import { SEARCH_TABLE, USER_PROFILE_TABLE as T } from './table-definition';

const INDEX = SEARCH_TABLE.searchIndex;

/**
 * How many items a search longer than the kept prefixes may evaluate in each shard per request:
 * the items of its prefix that do not continue as the term asks are read and dropped.
 */
export const SEARCH_READS_PER_SHARD = 50;

/** Sorts after `#` and before every digit: `<instant>$` is above every list key of that instant. */
const AFTER_INSTANT = '$';

/**
 * `ProfileSearch` on the search table's `SearchIndex` (ADR 0021, ADR 0025). A page queries the partition of the
 * term's prefix in every list shard, newest first, within the creation-time bounds (key
 * conditions, not filters), merges them as the listing does, then reads the page's profiles in one
 * batch and keeps those that still answer the search (the index is eventually consistent, and
 * `active` is the profile's). Each request makes at most `listShards` queries of one response
 * each (evaluating `limit + 1`, or `SEARCH_READS_PER_SHARD` when the term is longer than the
 * kept prefixes) and one BatchGetItem: a page may be short, even empty, and still have a cursor.
 */
export class DynamoProfileSearch implements ProfileSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    /** The profile table, whose profiles a page reads, and the search table it queries. */
    private readonly tables: Required<ProfileTables>,
  ) {}

  async search(criteria: SearchCriteria, { limit, cursor }: SearchPageRequest): Promise<Page> {
    const before = cursor === undefined ? undefined : decodeSearchCursor(cursor, criteria);
    const upper = [before, criteria.createdBefore]
      .filter((k): k is string => k !== undefined)
      .sort()[0];
    const lower =
      criteria.createdAfter === undefined ? undefined : criteria.createdAfter + AFTER_INSTANT;
    if (upper !== undefined && lower !== undefined && lower >= upper) return { items: [] };
    const prefix = searchPrefix(criteria.term);
    const filtered = criteria.field !== 'emailDomain' && prefix !== criteria.term;
    const bucket = criteria.field === 'emailDomain' ? criteria.term : prefix;
    const shards = await Promise.all(
      Array.from({ length: T.listShards }, (_, shard) =>
        this.queryShard(searchPartition(criteria.field, bucket, String(shard)), {
          wanted: limit + 1,
          upper,
          lower,
          term: filtered ? criteria.term : undefined,
        }),
      ),
    );
    const { ordered, frontier } = mergeShards(shards);
    const page = ordered.slice(0, limit);
    const items = await this.profilesOf(page, criteria);
    const last = page.at(-1);
    const next = ordered.length > limit && last ? last.listKey : frontier;
    return next === undefined ? { items } : { items, cursor: encodeSearchCursor(next, criteria) };
  }

  /** The page's profiles, in its order, that exist and answer the search now. */
  private async profilesOf(page: readonly SearchItem[], criteria: SearchCriteria) {
    if (page.length === 0) return [];
    const found = await batchGet(
      this.db,
      this.tables.tableName,
      page.map((i) => ({ userId: i.ownerId })),
    );
    const byId = new Map(
      found.map(toProfile).flatMap((p) => (p === undefined ? [] : [[p.userId, p] as const])),
    );
    return page
      .map((i) => byId.get(i.ownerId))
      .filter((p) => p !== undefined && matchesSearch(p, criteria))
      .map((p) => p!);
  }

  /**
   * One shard's newest `wanted` items within the bounds (`upper` exclusive, `lower` inclusive),
   * whose term continues as `term` when given, and, when it stopped before its end, the list key
   * down to which it has been read.
   */
  private async queryShard(
    partition: string,
    bounds: { wanted: number; upper?: string; lower?: string; term?: string },
  ): Promise<{ items: SearchItem[]; readDownTo?: string }> {
    const { wanted, upper, lower, term } = bounds;
    const names: Record<string, string> = { '#p': INDEX.partitionKey.name };
    const values: Record<string, unknown> = { ':p': partition };
    let keyCondition = '#p = :p';
    if (upper !== undefined || lower !== undefined) {
      names['#k'] = INDEX.sortKey.name;
      if (upper !== undefined) values[':upper'] = upper;
      if (lower !== undefined) values[':lower'] = lower;
      // BETWEEN includes its upper bound: an item at `upper` (the cursor's) is dropped below.
      keyCondition +=
        upper === undefined
          ? ' AND #k >= :lower'
          : lower === undefined
            ? ' AND #k < :upper'
            : ' AND #k BETWEEN :lower AND :upper';
    }
    if (term !== undefined) {
      names['#t'] = 'term';
      names['#a'] = 'altTerm';
      values[':term'] = term;
    }
    const budget = term === undefined ? wanted : Math.max(wanted, SEARCH_READS_PER_SHARD);
    const items: SearchItem[] = [];
    let evaluated = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await translateTransient(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tables.searchTableName,
            IndexName: INDEX.indexName,
            KeyConditionExpression: keyCondition,
            FilterExpression:
              term === undefined ? undefined : 'begins_with(#t, :term) OR begins_with(#a, :term)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: term === undefined ? wanted - items.length : budget - evaluated,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      const got = (page.Items ?? []) as SearchItem[];
      items.push(...got.filter((i) => i.listKey !== upper));
      evaluated += page.ScannedCount ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < wanted && evaluated < budget);
    const readDownTo = startKey?.[INDEX.sortKey.name];
    return typeof readDownTo === 'string' ? { items, readDownTo } : { items };
  }
}
