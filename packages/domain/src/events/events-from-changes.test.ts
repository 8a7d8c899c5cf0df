import fc from 'fast-check';
import { userActor, OPEN_ACCESS } from '../actor';
import { withSuspension, withoutSuspension } from '../suspension';
import { testUserId } from '../testing/fakes';
import { applyMergePatch, newUserProfile, withPhoto, type UserProfile } from '../user-profile';
import { authorOf, type ChangeEvent } from './change-event';
import { profileChangeEvent, suspensionChangeEvent } from './events-from-changes';

const id = testUserId(7);
const start = new Date('2026-03-01T10:00:00.000Z');
const owner = { kind: 'owner', id } as const;
const created = newUserProfile(
  { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  { userId: id, now: start },
);
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

/** One step of a profile's life: a change by merge patch, a photo set or removed. */
const step = fc.oneof(
  fc.record({ firstName: fc.constantFrom('Ada', 'Grace', 'Edsger') }).map((p) => ({ patch: p })),
  fc
    .record({ metadata: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer({ max: 3, min: 0 })) })
    .map((p) => ({ patch: p })),
  fc.constantFrom({ photo: 'p1' }, { photo: 'p2' }, { photo: undefined }),
);

describe('the event of one write', () => {
  it('reports a create with the fields it set, at version 1, by its author', () => {
    const event = profileChangeEvent({ after: created, author: owner });
    expect(event).toEqual({
      id: expect.stringContaining(id),
      type: 'profile.created',
      time: created.createdAt,
      profileId: id,
      version: 1,
      actor: owner,
      changed: ['active', 'blocked', 'email', 'firstName', 'lastName'],
    });
  });

  it('reports an update with the names of the changed fields only, never their values', () => {
    const next = applyMergePatch(
      created,
      { lastName: 'Byron', phoneNumber: '+441234567890' },
      later(1),
    );
    const event = profileChangeEvent({ before: created, after: next, author: owner })!;
    expect(event.type).toBe('profile.updated');
    expect(event.changed).toEqual(['lastName', 'phoneNumber']);
    expect(JSON.stringify(event)).not.toContain('Byron');
  });

  it('reports a change of the photo alone as profile.photo.changed', () => {
    const next = withPhoto(created, { id: 'ph', updatedAt: later(1).toISOString() }, later(1));
    expect(profileChangeEvent({ before: created, after: next })).toMatchObject({
      type: 'profile.photo.changed',
      changed: ['photo'],
      version: 2,
      actor: { kind: 'system' },
    });
  });

  it('reports a deletion with no personal data, as the version after the last one', () => {
    const admin = { kind: 'admin', id: 'op-1' } as const;
    const deletedAt = later(5).toISOString();
    const event = profileChangeEvent({ before: created, author: admin, deletedAt })!;
    expect(event).toEqual({
      id: expect.any(String),
      type: 'profile.deleted',
      time: deletedAt,
      profileId: id,
      version: 2,
      actor: admin,
      changed: [],
    });
    expect(JSON.stringify(event)).not.toMatch(/ada|Lovelace/i);
  });

  it('reports nothing for a write that did not move the version', () => {
    expect(profileChangeEvent({ before: created, after: created, author: owner })).toBeUndefined();
    expect(profileChangeEvent({})).toBeUndefined();
  });

  it('tells apart the same version of two lives of one profile id', () => {
    const again = newUserProfile(
      { email: 'ada@example.com', firstName: 'Ada', lastName: 'L' },
      { userId: id, now: later(60) },
    );
    expect(profileChangeEvent({ after: again })!.id).not.toBe(
      profileChangeEvent({ after: created })!.id,
    );
  });

  it('turns any life of a profile into one event per version, contiguous, with distinct ids', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.boolean(), (steps, deleteAtEnd) => {
        const events: ChangeEvent[] = [profileChangeEvent({ after: created })!];
        let current: UserProfile = created;
        steps.forEach((s, i) => {
          const now = later(i + 1);
          const next =
            'patch' in s
              ? applyMergePatch(current, s.patch, now)
              : withPhoto(
                  current,
                  s.photo ? { id: s.photo, updatedAt: now.toISOString() } : undefined,
                  now,
                );
          const event = profileChangeEvent({ before: current, after: next });
          if (event) events.push(event);
          else expect(next.version).toBe(current.version);
          current = next;
        });
        if (deleteAtEnd) events.push(profileChangeEvent({ before: current })!);
        const expected = current.version + (deleteAtEnd ? 1 : 0);
        expect(events.map((e) => e.version)).toEqual(
          Array.from({ length: expected }, (_, i) => i + 1),
        );
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        for (const e of events.slice(1))
          expect(e.changed.length > 0 || e.type === 'profile.deleted').toBe(true);
      }),
    );
  });
});

describe('the event of a write of a suspension record', () => {
  const suspended = withSuspension(undefined, id, { reason: 'SPAM' }, 'op-1', later(1));
  const lifted = withoutSuspension(suspended, 'op-2', later(2))!;

  it('reports a new suspension, by the administrator who made it', () => {
    expect(suspensionChangeEvent(undefined, suspended)).toMatchObject({
      type: 'profile.suspended',
      profileId: id,
      time: later(1).toISOString(),
      actor: { kind: 'admin', id: 'op-1' },
      changed: ['suspension'],
    });
  });

  it('reports a lift, and a suspension after it as a new one', () => {
    expect(suspensionChangeEvent(suspended, lifted)).toMatchObject({
      type: 'profile.unsuspended',
      actor: { kind: 'admin', id: 'op-2' },
      time: later(2).toISOString(),
    });
    const again = withSuspension(lifted, id, { reason: 'FRAUD' }, 'op-1', later(3));
    const event = suspensionChangeEvent(lifted, again)!;
    expect(event.type).toBe('profile.suspended');
    expect(event.id).not.toBe(suspensionChangeEvent(undefined, suspended)!.id);
  });

  it('reports nothing for a record expiring or written unchanged', () => {
    expect(suspensionChangeEvent(lifted, undefined)).toBeUndefined();
    expect(suspensionChangeEvent(lifted, lifted)).toBeUndefined();
  });
});

describe('the author of a write', () => {
  it('is the owner for their own profile, an administrator for another, by subject', () => {
    expect(authorOf(userActor(id), id)).toEqual({ kind: 'owner', id });
    expect(authorOf(userActor('op-1', true), id)).toEqual({ kind: 'admin', id: 'op-1' });
    expect(authorOf(OPEN_ACCESS, id)).toEqual({ kind: 'admin', id: 'open-api' });
  });
});
