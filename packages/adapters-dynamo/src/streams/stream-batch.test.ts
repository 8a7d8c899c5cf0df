import { marshall } from '@aws-sdk/util-dynamodb';
import {
  newUserProfile,
  PublishIncomplete,
  applyUpdate,
  type ChangeEvent,
} from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { emailGuardItem, toItem } from '../profile-item';
import { handleStreamBatch } from './stream-batch';

const at = new Date('2026-03-01T00:00:00.000Z');
const profile = newUserProfile(
  { email: 'a@example.com', firstName: 'A', lastName: 'B' },
  { userId: testUserId(5), now: at },
);
const UPDATED = applyUpdate(profile, { lastName: 'C' }, new Date('2026-03-01T00:01:00.000Z'));
const stored = (item: object) => marshall(item, { removeUndefinedValues: true });
const records = [
  { dynamodb: { SequenceNumber: '100', NewImage: stored(toItem(profile)) } },
  { dynamodb: { SequenceNumber: '101', NewImage: stored(emailGuardItem(profile)) } },
];

describe("the stream Lambda's batch", () => {
  it('records the events of a batch (none for a guard item) and reports no failure', async () => {
    const seen: ChangeEvent[] = [];
    const answer = await handleStreamBatch(records, async (events) => seen.push(...events));
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(seen.map((e) => [e.type, e.version])).toEqual([['profile.created', 1]]);
  });

  it('reports the batch failed from its first record when recording fails', async () => {
    const answer = await handleStreamBatch(records, async () => {
      throw new Error('the event table is unavailable');
    });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '100' }] });
  });

  it('reports the batch failed from the record of the first event a publisher left unsent', async () => {
    const later = [
      ...records,
      {
        dynamodb: {
          SequenceNumber: '102',
          OldImage: stored(toItem(profile)),
          NewImage: stored(toItem(UPDATED)),
        },
      },
    ];
    let events: readonly ChangeEvent[] = [];
    const answer = await handleStreamBatch(later, async (given) => {
      events = given;
      throw new PublishIncomplete(given[1]!.id);
    });
    expect(events.map((e) => e.version)).toEqual([1, 2]);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '102' }] });
  });
});
