import { OPEN_ACCESS, userActor } from '../actor';
import { AccountSuspended, Forbidden, ProfileNotFound, ValidationFailed } from '../errors';
import { testUserId } from '../testing';
import { profileInput, useCases } from './use-case-fixture';

const ada = userActor(testUserId(101), false, 'ada@example.com');
const admin = userActor(testUserId(900), true);
const id = ada.subject!;

async function withAdasProfile() {
  const s = useCases();
  await s.create.execute(ada, profileInput('ada@example.com'));
  return s;
}

describe('a suspension (#25)', () => {
  it('outlives the profile: deleting and re-creating it escapes nothing (finding 1)', async () => {
    const s = await withAdasProfile();
    await s.suspensions.suspend(admin, id, { reason: 'ABUSE', note: 'threats in chat' });
    await expect(s.patch.execute(ada, id, { firstName: 'X' })).rejects.toBeInstanceOf(
      AccountSuspended,
    );
    await s.remove.execute(ada, id);
    const again = await s.create.execute(ada, profileInput('ada@example.com'));
    expect(again).toMatchObject({ blocked: true, suspension: { reason: 'ABUSE' } });
    await expect(s.patch.execute(ada, id, { firstName: 'X' })).rejects.toBeInstanceOf(
      AccountSuspended,
    );
    await expect(
      s.startPhotoUpload.execute(ada, id, { contentType: 'image/jpeg', contentLength: 100 }),
    ).rejects.toBeInstanceOf(AccountSuspended);
    expect(await s.get.execute(ada, id)).toMatchObject({ blocked: true });
  });

  it('has a reason, an end it lifts itself at, and says the end when it refuses', async () => {
    const s = await withAdasProfile();
    const until = '2026-01-02T00:00:00.000Z';
    await s.suspensions.suspend(admin, id, { reason: 'SPAM', until });
    await expect(s.patch.execute(ada, id, { firstName: 'X' })).rejects.toEqual(
      new AccountSuspended(id, until),
    );
    s.clock.advance(24 * 60 * 60_000); // 2026-01-02T00:00:00Z: over
    expect(await s.patch.execute(ada, id, { firstName: 'Free' })).toMatchObject({
      firstName: 'Free',
      blocked: false,
    });
    expect((await s.list.execute(admin, { suspended: true })).items).toEqual([]);
  });

  it('is lifted early by an administrator, and the history says who did what, when', async () => {
    const s = await withAdasProfile();
    const other = userActor(testUserId(901), true);
    await s.suspensions.suspend(admin, id, { reason: 'FRAUD', note: 'chargebacks' });
    s.clock.advance(60_000);
    await s.suspensions.lift(other, id);
    expect((await s.get.execute(ada, id)).blocked).toBe(false);
    await s.suspensions.lift(other, id); // nothing in force: no error, no entry
    expect(await s.suspensions.history(admin, id)).toEqual([
      {
        reason: 'FRAUD',
        note: 'chargebacks',
        suspendedBy: admin.subject,
        suspendedAt: '2026-01-01T00:00:00.000Z',
        liftedBy: other.subject,
        liftedAt: '2026-01-01T00:01:00.000Z',
      },
    ]);
  });

  it("shows in an administrator's photo commit for the suspended subject", async () => {
    const s = await withAdasProfile();
    await s.suspensions.suspend(admin, id, { reason: 'SPAM' });
    const jpeg = { contentType: 'image/jpeg', contentLength: 1000 };
    const ticket = await s.startPhotoUpload.execute(admin, id, jpeg);
    s.photos.upload(
      id,
      ticket.uploadId,
      Uint8Array.from('image/jpeg bytes', (c) => c.charCodeAt(0)),
    );
    const committed = await s.commitPhoto.execute(admin, id, { uploadId: ticket.uploadId });
    expect(committed).toMatchObject({ blocked: true, suspension: { reason: 'SPAM' } });
    expect(committed.photo).toBeDefined();
  });

  it('replaced by another ends the first in the history', async () => {
    const s = await withAdasProfile();
    await s.suspensions.suspend(admin, id, { reason: 'SPAM' });
    s.clock.advance(1000);
    await s.suspensions.suspend(admin, id, { reason: 'FRAUD' });
    const history = await s.suspensions.history(admin, id);
    expect(history.map((h) => [h.reason, h.liftedAt])).toEqual([
      ['SPAM', '2026-01-01T00:00:01.000Z'],
      ['FRAUD', undefined],
    ]);
  });

  it('is listed while in force, newest first, with the profile', async () => {
    const s = await withAdasProfile();
    const bob = userActor(testUserId(102), false, 'bob@example.com');
    await s.create.execute(bob, profileInput('bob@example.com'));
    await s.suspensions.suspend(admin, id, { reason: 'SPAM' });
    s.clock.advance(1000);
    await s.suspensions.suspend(admin, bob.subject!, { reason: 'ABUSE' });
    const page = await s.list.execute(admin, { suspended: true });
    expect(page.items.map((p) => [p.userId, p.suspension?.reason])).toEqual([
      [bob.subject, 'ABUSE'],
      [id, 'SPAM'],
    ]);
    await expect(s.list.execute(admin, { suspended: true, active: true })).rejects.toBeInstanceOf(
      ValidationFailed,
    );
  });

  it("keeps an administrator's `blocked` working: true suspends (OTHER), false lifts", async () => {
    const s = await withAdasProfile();
    expect(await s.update.execute(admin, id, { blocked: true })).toMatchObject({
      blocked: true,
      version: 1,
      suspension: { reason: 'OTHER' },
    });
    // Again: the suspension in force (whatever its reason) is kept as it is.
    await s.update.execute(admin, id, { blocked: true });
    expect(await s.suspensions.history(admin, id)).toHaveLength(1);
    expect(await s.patch.execute(admin, id, { blocked: false })).toMatchObject({ blocked: false });
    expect((await s.suspensions.history(admin, id))[0]).toMatchObject({
      liftedBy: admin.subject,
    });
  });

  it('honours a profile flag of old (no record) as a suspension without end; `blocked: false` clears it', async () => {
    const s = await withAdasProfile();
    const stored = (await s.repository.get(id))!;
    await s.repository.update(stored, { ...stored, blocked: true, version: 2 });
    await expect(s.patch.execute(ada, id, { firstName: 'X' })).rejects.toEqual(
      new AccountSuspended(id),
    );
    expect(await s.patch.execute(admin, id, { blocked: false })).toMatchObject({ blocked: false });
    expect((await s.repository.get(id))?.blocked).toBe(false);
  });

  it('is the administrators’ alone: a user may neither suspend, lift nor read one', async () => {
    const s = await withAdasProfile();
    await expect(s.suspensions.suspend(ada, id, { reason: 'OTHER' })).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(s.suspensions.lift(ada, id)).rejects.toBeInstanceOf(Forbidden);
    await expect(s.suspensions.history(ada, id)).rejects.toBeInstanceOf(Forbidden);
    // Another's: as if it did not exist.
    await expect(s.suspensions.history(ada, testUserId(555))).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
    await expect(s.suspensions.history(OPEN_ACCESS, 'not-an-id')).rejects.toBeInstanceOf(
      ProfileNotFound,
    );
  });

  it('refuses an unknown reason, a long note and an end in the past, all at once', async () => {
    const s = await withAdasProfile();
    await expect(
      s.suspensions.suspend(admin, id, {
        reason: 'BORED',
        note: 'x'.repeat(501),
        until: '2025-01-01T00:00:00Z',
        extra: 1,
      }),
    ).rejects.toMatchObject({
      errors: [
        { field: 'extra' },
        { field: 'reason' },
        { field: 'note' },
        { field: 'until', message: 'must be in the future' },
      ],
    });
  });
});
