import { changeEventOf } from './change-event';
import { userActor } from '../actor';
import { testUserId } from '../testing/fakes';
import { InMemoryUserProfileRepository } from '../testing/in-memory-user-profile-repository';
import { profileInput, useCases } from '../use-cases/use-case-fixture';

describe('every write records its author with it', () => {
  const ownerId = testUserId(42);
  const owner = userActor(ownerId, false, 'ada@example.com', new Date('2025-12-31T00:00:00Z'));
  const admin = userActor('op-1', true);

  it('records the owner for their create and change, an administrator for theirs and a deletion', async () => {
    const repository = new InMemoryUserProfileRepository();
    const uc = useCases(repository);
    await uc.create.execute(owner, profileInput('ada@example.com'));
    expect(repository.lastAuthor(ownerId)).toEqual({ kind: 'owner', id: ownerId });
    await uc.patch.execute(admin, ownerId, { lastName: 'Byron' });
    expect(repository.lastAuthor(ownerId)).toEqual({ kind: 'admin', id: 'op-1' });
    await uc.update.execute(owner, ownerId, { firstName: 'Augusta' });
    expect(repository.lastAuthor(ownerId)).toEqual({ kind: 'owner', id: ownerId });
    await uc.remove.execute(admin, ownerId);
    expect(repository.lastAuthor(ownerId)).toEqual({ kind: 'admin', id: 'op-1' });
  });
});

describe('changeEventOf', () => {
  const event = {
    id: 'e1',
    type: 'profile.updated',
    time: '2026-12-03T00:00:00.000Z',
    profileId: 'p1',
    version: 2,
    actor: { kind: 'owner', id: 'p1' },
    changed: ['lastName'],
  };

  it('reads a well-formed event back, keeping only what an event holds', () => {
    expect(changeEventOf({ ...event, extra: 'x', actor: { ...event.actor, name: 'y' } })).toEqual(
      event,
    );
  });

  it('reads nothing else as an event', () => {
    for (const bad of [
      null,
      [],
      'e1',
      { ...event, type: 'profile.renamed' },
      { ...event, version: '2' },
      { ...event, actor: { kind: 'robot' } },
      { ...event, changed: [1] },
      { ...event, time: undefined },
    ]) {
      expect([bad, changeEventOf(bad)]).toEqual([bad, undefined]);
    }
  });
});
