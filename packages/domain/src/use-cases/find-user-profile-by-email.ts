import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import type { UserProfileRepository } from '../ports';
import { parseEmail } from '../profile-rules';
import type { UserProfile } from '../user-profile';

export class FindUserProfileByEmail {
  constructor(private readonly repository: UserProfileRepository) {}

  /** The owner of the address, matched case-insensitively, or `undefined`. Admins only. @throws Forbidden */
  async execute(actor: Actor, email: unknown): Promise<UserProfile | undefined> {
    assertMayBrowse(actor);
    const parsed = parseEmail(email);
    if (!parsed.ok) throw new ValidationFailed([parsed.problem]);
    return this.repository.findByEmail(parsed.value);
  }
}
