import { userActor } from '../actor';
import { ProfileNotFound, ValidationFailed } from '../errors';
import { InMemoryUserProfileRepository, testUserId } from '../testing';
import { GetPublicProfiles } from './get-public-profiles';
import { profileInput, useCases } from './use-case-fixture';

const ADA = testUserId(1);
const BOB = testUserId(2);
const CY = testUserId(3);
const READER = userActor(testUserId(9));
const ada = userActor(ADA);
const root = userActor(testUserId(99), true);

async function given() {
  const repository = new InMemoryUserProfileRepository();
  const uc = useCases(repository);
  for (const [id, name] of [
    [ADA, 'ada'],
    [BOB, 'bob'],
    [CY, 'cy'],
  ] as const) {
    await uc.create.execute(userActor(id, false, `${name}@example.com`), {
      ...profileInput(`${name}@example.com`),
      lastName: 'Lovelace',
    });
  }
  await uc.patch.execute(ada, ADA, {
    username: 'Ada_L',
    publicMetadata: { bio: 'maths' },
    metadata: { secret: 1 },
    phoneNumber: '+441234567890',
  });
  await uc.patch.execute(root, ADA, { appMetadata: { plan: 'pro' } });
  const publicProfiles = new GetPublicProfiles(repository, uc.clock, 'initial');
  return { uc, publicProfiles };
}

describe('public profiles', () => {
  it('shows only the public fields of another user’s profile', async () => {
    const { publicProfiles } = await given();
    expect(await publicProfiles.one(READER, ADA)).toEqual({
      userId: ADA,
      username: 'Ada_L',
      displayName: 'Ada L.',
      publicMetadata: { bio: 'maths' },
    });
  });

  it('answers a batch in the order asked, listing what it cannot show', async () => {
    const { uc, publicProfiles } = await given();
    await uc.suspensions.suspend(root, BOB, { reason: 'SPAM' });
    await uc.patch.execute(userActor(CY), CY, { active: false });
    const gone = testUserId(50);
    const answer = await publicProfiles.many(READER, [gone, ADA, BOB, CY, ADA]);
    expect(answer.profiles.map((p) => p.userId)).toEqual([ADA]);
    expect(answer.missing).toEqual([gone, BOB, CY]);
    await expect(publicProfiles.one(READER, BOB)).rejects.toBeInstanceOf(ProfileNotFound);
  });

  it('shows a profile again once its suspension is lifted', async () => {
    const { uc, publicProfiles } = await given();
    await uc.suspensions.suspend(root, BOB, { reason: 'SPAM' });
    await uc.suspensions.lift(root, BOB);
    expect((await publicProfiles.one(READER, BOB)).displayName).toBe('Ada L.');
  });

  it('finds a profile by handle in any case; a hidden or unknown one is missing', async () => {
    const { uc, publicProfiles } = await given();
    expect((await publicProfiles.byUsername(READER, 'ada_l')).profiles).toHaveLength(1);
    expect(await publicProfiles.byUsername(READER, 'nobody')).toEqual({
      profiles: [],
      missing: ['nobody'],
    });
    await uc.suspensions.suspend(root, ADA, { reason: 'SPAM' });
    expect(await publicProfiles.byUsername(READER, 'ADA_L')).toEqual({
      profiles: [],
      missing: ['ADA_L'],
    });
  });

  it('refuses no ids, more than 100, a malformed id and a malformed handle, naming the field', async () => {
    const { publicProfiles } = await given();
    const many = Array.from({ length: 101 }, (_, i) => testUserId(1000 + i));
    for (const ids of [[], many, ['not-a-uuid']]) {
      await expect(publicProfiles.many(READER, ids)).rejects.toMatchObject({
        errors: [{ field: 'ids' }],
      });
    }
    await expect(publicProfiles.byUsername(READER, 'a b')).rejects.toBeInstanceOf(ValidationFailed);
    const hundred = Array.from({ length: 100 }, (_, i) => testUserId(1000 + i));
    expect((await publicProfiles.many(READER, hundred)).missing).toHaveLength(100);
  });
});
