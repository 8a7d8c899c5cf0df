import {
  EmailAlreadyTaken,
  UsernameTaken,
  usernameKey,
  type UserProfile,
} from '@userprofile/domain';
import { emailGuardItem, emailGuardKey } from './profile-item';

/** The claim of one handle by one profile; its key is the handle's lower-case form. */
interface UsernameGuardItem {
  userId: string;
  itemType: 'USERNAME';
  ownerId: string;
}

export const usernameGuardKey = (username: string) => ({
  userId: `USERNAME#${usernameKey(username)}`,
});

function usernameGuardItem(profile: UserProfile & { username: string }): UsernameGuardItem {
  return { ...usernameGuardKey(profile.username), itemType: 'USERNAME', ownerId: profile.userId };
}

/** One item of a transaction, as the document client takes it. */
type GuardWrite =
  | { Put: { TableName: string; Item: object; ConditionExpression: string } }
  | {
      Delete: {
        TableName: string;
        Key: { userId: string };
        ConditionExpression: string;
        ExpressionAttributeValues: Record<string, string>;
      };
    };

/**
 * A guard write of a change, and what its failed condition means: a claim that fails is the
 * value taken by another profile; a release that fails is a profile that moved on meanwhile.
 */
export interface GuardStep {
  readonly write: GuardWrite;
  /** The error for a failed claim; absent for a release. */
  readonly taken?: (cause: unknown) => Error;
}

const claim = (tableName: string, item: object, taken: GuardStep['taken']): GuardStep => ({
  write: {
    Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(userId)' },
  },
  taken,
});

const release = (tableName: string, key: { userId: string }, ownerId: string): GuardStep => ({
  write: {
    Delete: {
      TableName: tableName,
      Key: key,
      ConditionExpression: 'ownerId = :owner',
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  },
});

/**
 * The guard writes that take a profile from `previous` to `next` (either absent for a create or
 * a delete): the old e-mail and handle released, the new ones claimed, in one transaction with
 * the profile. A handle whose case alone changes keeps its claim.
 */
export function guardSteps(
  tableName: string,
  previous: UserProfile | undefined,
  next: UserProfile | undefined,
): GuardStep[] {
  const steps: GuardStep[] = [];
  if (previous?.email !== next?.email) {
    if (previous) steps.push(release(tableName, emailGuardKey(previous.email), previous.userId));
    if (next) {
      steps.push(
        claim(
          tableName,
          emailGuardItem(next),
          (cause) => new EmailAlreadyTaken(next.email, { cause }),
        ),
      );
    }
  }
  const before = previous?.username === undefined ? undefined : usernameKey(previous.username);
  const after = next?.username === undefined ? undefined : usernameKey(next.username);
  if (before !== after) {
    if (previous?.username !== undefined) {
      steps.push(release(tableName, usernameGuardKey(previous.username), previous.userId));
    }
    if (next?.username !== undefined) {
      const handle = next.username;
      steps.push(
        claim(
          tableName,
          usernameGuardItem({ ...next, username: handle }),
          (cause) => new UsernameTaken(handle, { cause }),
        ),
      );
    }
  }
  return steps;
}
