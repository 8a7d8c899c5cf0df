import { marshall } from '@aws-sdk/util-dynamodb';
import { applyMergePatch, newUserProfile, withSuspension } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { AUTHOR_ATTRIBUTE, DELETED_AT_ATTRIBUTE } from '../change-attribution';
import { emailGuardItem, idempotencyItem, toItem } from '../profile-item';
import { searchItemsOf } from '../search-items';
import { suspensionItem } from '../suspension-item';
import { USER_PROFILE_TABLE } from '../table-definition';
import { eventFromStreamRecord } from './stream-record-event';

const id = testUserId(3);
const at = new Date('2026-02-01T00:00:00.000Z');
const ada = newUserProfile(
  { email: 'ada@example.com', firstName: 'Ada', lastName: 'L' },
  { userId: id, now: at },
);
const owner = { kind: 'owner', id };
const admin = { kind: 'admin', id: 'op-9' };
const stored = (item: object) => marshall(item, { removeUndefinedValues: true });
const record = (before?: object, after?: object) => ({
  dynamodb: {
    ...(before ? { OldImage: stored(before) } : {}),
    ...(after ? { NewImage: stored(after) } : {}),
  },
});

describe('the event of a stream record of the profile table', () => {
  const created = { ...toItem(ada), [AUTHOR_ATTRIBUTE]: owner };

  it('reads a profile written, with the author the write stored', () => {
    expect(eventFromStreamRecord(record(undefined, created))).toMatchObject({
      type: 'profile.created',
      profileId: id,
      version: 1,
      actor: owner,
    });
    const renamed = applyMergePatch(ada, { firstName: 'Augusta' }, at);
    const event = eventFromStreamRecord(
      record(created, { ...toItem(renamed), [AUTHOR_ATTRIBUTE]: admin }),
    );
    expect(event).toMatchObject({
      type: 'profile.updated',
      version: 2,
      actor: admin,
      changed: ['firstName'],
    });
  });

  it('reads nothing from the deletion mark, and the deleter from the deleted image', () => {
    const marked = {
      ...created,
      [AUTHOR_ATTRIBUTE]: admin,
      [DELETED_AT_ATTRIBUTE]: '2026-02-02T00:00:00.000Z',
    };
    expect(eventFromStreamRecord(record(created, marked))).toBeUndefined();
    expect(eventFromStreamRecord(record(marked))).toEqual({
      id: expect.any(String),
      type: 'profile.deleted',
      time: '2026-02-02T00:00:00.000Z',
      profileId: id,
      version: 2,
      actor: admin,
      changed: [],
    });
  });

  it('reads no event from an e-mail guard or an idempotency record', () => {
    const guard = emailGuardItem(ada);
    expect(eventFromStreamRecord(record(undefined, guard))).toBeUndefined();
    expect(eventFromStreamRecord(record(guard))).toBeUndefined();
    const idem = idempotencyItem({
      key: 'k',
      fingerprint: 'f',
      profile: ada,
      expiresAt: at.toISOString(),
    });
    expect(eventFromStreamRecord(record(undefined, idem))).toBeUndefined();
  });

  it("reads events from exactly the item types the AWS stream function's filter lets through", () => {
    const suspension = suspensionItem(withSuspension(undefined, id, { reason: 'SPAM' }, 'a', at));
    const items = [
      created,
      emailGuardItem(ada),
      idempotencyItem({ key: 'k', fingerprint: 'f', profile: ada, expiresAt: at.toISOString() }),
      suspension,
      ...searchItemsOf(ada),
    ];
    const eventful = items.filter((i) => eventFromStreamRecord(record(undefined, i)));
    expect([...new Set(eventful.map((i) => i.itemType))]).toEqual(
      USER_PROFILE_TABLE.eventItemTypes,
    );
    // And nothing else has those types: a search item streams no event.
    const others = items.filter((i) => !eventful.includes(i));
    expect(
      others.some((i) =>
        (USER_PROFILE_TABLE.eventItemTypes as readonly string[]).includes(i.itemType),
      ),
    ).toBe(false);
  });

  it('reads a suspension from a suspension record, by its administrator', () => {
    const suspended = withSuspension(undefined, id, { reason: 'SPAM' }, 'op-9', at);
    expect(eventFromStreamRecord(record(undefined, suspensionItem(suspended)))).toMatchObject({
      type: 'profile.suspended',
      profileId: id,
      actor: admin,
    });
  });

  it('reads a write without a recorded author as the system', () => {
    expect(eventFromStreamRecord(record(undefined, toItem(ada)))?.actor).toEqual({
      kind: 'system',
    });
  });
});
