import {
  ProfileNotFound,
  StorageUnavailable,
  VersionConflict,
  type ChangeAuthor,
  type UserProfile,
} from '@userprofile/domain';
import { AUTHOR_ATTRIBUTE, storedAuthor } from './change-attribution';
import type { GuardStep } from './guard-items';
import { toItem, type ProfileItem } from './profile-item';

// The repository's writes, as DynamoDB expressions, and what their failures mean in the domain.

/**
 * The fields a change may touch, as an UpdateItem: set when present, removed when absent, only
 * if the stored version is still `expectedVersion` (an absent item fails the condition too).
 */
export function profileUpdate(next: UserProfile, expectedVersion: number, by?: ChangeAuthor) {
  const item = { ...toItem(next), [AUTHOR_ATTRIBUTE]: storedAuthor(by) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const set: string[] = [];
  const remove: string[] = [];
  for (const field of CHANGEABLE_ATTRIBUTES) {
    names[`#${field}`] = field;
    const value = item[field];
    if (value === undefined) remove.push(`#${field}`);
    else {
      set.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

// Everything but the key, the type, `createdAt` and the list keys derived from it (immutable),
// and attributes of the adapter's own (`idempotencyKey`), which an update must keep.
const CHANGEABLE_ATTRIBUTES = [
  'email',
  'firstName',
  'lastName',
  'phoneNumber',
  'username',
  'locale',
  'timeZone',
  'metadata',
  'appMetadata',
  'publicMetadata',
  'active',
  'blocked',
  'photo',
  'emailChangedAt',
  'updatedAt',
  'version',
  AUTHOR_ATTRIBUTE,
] as const satisfies readonly (keyof ProfileItem | typeof AUTHOR_ATTRIBUTE)[];

/** The error of the first guard claim whose condition failed, if any. */
export function guardFailure(
  guards: readonly GuardStep[],
  codes: readonly (string | undefined)[],
  cause: unknown,
): Error | undefined {
  const failed = guards.find((g, i) => g.taken && codes[i] === 'ConditionalCheckFailed');
  return failed?.taken?.(cause);
}

/** A failed `version = :expected` condition: the item was gone (never an upsert) or had moved on. */
export function staleOrMissing(userId: string, oldItem: unknown, cause: unknown): Error {
  return oldItem ? new VersionConflict(userId, { cause }) : new ProfileNotFound(userId, { cause });
}

/** Reasons that say "not now" rather than "no": the caller may retry later. */
const TRANSIENT_REASONS = new Set([
  undefined,
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export function unexpectedCancellation(codes: (string | undefined)[], cause?: unknown): Error {
  if (codes.every((c) => TRANSIENT_REASONS.has(c))) return new StorageUnavailable({ cause });
  return new Error(
    `Transaction cancelled for an unexpected reason: ${codes.map((c) => c ?? 'None').join(', ')}`,
    { cause },
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
