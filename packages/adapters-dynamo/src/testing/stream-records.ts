import { marshall } from '@aws-sdk/util-dynamodb';
import type { UserProfile } from '@userprofile/domain';
import { toItem } from '../profile-item';
import type { LambdaStreamRecord } from '../streams/stream-batch';

/** A stream record as Lambda hands it over: a profile's images before and after one write. */
export function profileStreamRecord(
  sequenceNumber: string,
  before: UserProfile | undefined,
  after: UserProfile | undefined,
): LambdaStreamRecord {
  const image = (p: UserProfile) => marshall(toItem(p), { removeUndefinedValues: true });
  return {
    dynamodb: {
      SequenceNumber: sequenceNumber,
      ...(before ? { OldImage: image(before) } : {}),
      ...(after ? { NewImage: image(after) } : {}),
    },
  };
}
