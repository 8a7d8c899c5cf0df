import { SYSTEM_AUTHOR, type ChangeAuthor, type UserProfile } from '@userprofile/domain';
import { randomUUID } from 'node:crypto';

/**
 * Who made a write, stored on the profile item by the write itself: the change feed reads only
 * what the table's stream shows, the item's images before and after, never the request.
 */
export const AUTHOR_ATTRIBUTE = 'changedBy';
/** When a deletion was made, and the mark that ties the deletion to the write that recorded it. */
export const DELETED_AT_ATTRIBUTE = 'deletedAt';
export const DELETION_TOKEN_ATTRIBUTE = 'deletionToken';

/** The author as stored: a map of `kind` and, when known, `id`. */
export function storedAuthor(by: ChangeAuthor | undefined): ChangeAuthor {
  const { kind, id } = by ?? SYSTEM_AUTHOR;
  return id === undefined ? { kind } : { kind, id };
}

/**
 * A deletion's first step: the item records who deletes it and when, under the version the
 * deletion expects, with a token of this deletion; the delete itself then requires the token, so
 * the image the stream shows of the deleted item names its deleter even when two race (the one
 * that marked last is the one that may delete). It changes no version, so it is no change of the
 * profile. Answers the item as marked (its idempotency key is needed next).
 */
export function deletionMark(
  tableName: string,
  profile: UserProfile,
  by: ChangeAuthor | undefined,
  now: Date,
) {
  const token = randomUUID();
  return {
    token,
    input: {
      TableName: tableName,
      Key: { userId: profile.userId },
      UpdateExpression: 'SET #by = :by, #at = :at, #token = :token',
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: {
        '#by': AUTHOR_ATTRIBUTE,
        '#at': DELETED_AT_ATTRIBUTE,
        '#token': DELETION_TOKEN_ATTRIBUTE,
        '#version': 'version',
      },
      ExpressionAttributeValues: {
        ':by': storedAuthor(by),
        ':at': now.toISOString(),
        ':token': token,
        ':expected': profile.version,
      },
      ReturnValues: 'ALL_NEW' as const,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
}
