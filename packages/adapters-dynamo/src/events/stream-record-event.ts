import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  isChangeAuthor,
  profileChangeEvent,
  suspensionChangeEvent,
  type ChangeEvent,
} from '@userprofile/domain';
import { AUTHOR_ATTRIBUTE, DELETED_AT_ATTRIBUTE } from '../change-attribution';
import { ITEM_TYPE, toProfile } from '../profile-item';
import { SUSPENSION_ITEM_TYPE, toSuspensionRecord } from '../suspension-item';

/**
 * A record of the table's stream as both the Streams API and Lambda give it: the item's images
 * before and after the write, in DynamoDB's attribute-value JSON.
 */
export interface StreamImages {
  readonly dynamodb?: {
    readonly OldImage?: Record<string, unknown>;
    readonly NewImage?: Record<string, unknown>;
    readonly SequenceNumber?: string;
  };
}

/**
 * The one event of a write to the profile table, or none: a profile's write becomes its change,
 * a suspension record's write a suspension or its lift; e-mail guards, idempotency records and
 * the adapter's own bookkeeping are no change of a profile.
 */
export function eventFromStreamRecord(record: StreamImages): ChangeEvent | undefined {
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  const itemType = (after ?? before)?.itemType;
  if (itemType === ITEM_TYPE.profile) {
    const last = after ?? before!;
    const author = last[AUTHOR_ATTRIBUTE];
    const deletedAt = before?.[DELETED_AT_ATTRIBUTE];
    return profileChangeEvent({
      before: toProfile(before),
      after: toProfile(after),
      ...(isChangeAuthor(author) ? { author } : {}),
      ...(after === undefined && typeof deletedAt === 'string' ? { deletedAt } : {}),
    });
  }
  if (itemType === SUSPENSION_ITEM_TYPE) {
    return suspensionChangeEvent(toSuspensionRecord(before), toSuspensionRecord(after));
  }
  return undefined;
}

function image(attributes: Record<string, unknown> | undefined) {
  // The Streams API's and Lambda's attribute values have DynamoDB's own JSON shape.
  return attributes && unmarshall(attributes as Record<string, AttributeValue>);
}
