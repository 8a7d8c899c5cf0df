import { assertMayBrowse, type Actor } from '../actor';
import { ValidationFailed } from '../errors';
import type { Clock, UserProfileRepository } from '../ports';
import { parseEmail } from '../profile-rules';
import type { UserProfile } from '../user-profile';
import { withStanding } from './standing';

export class FindUserProfileByEmail {
  constructor(
    private readonly repository: UserProfileRepository,
    private readonly clock: Clock,
  ) {}

  /** The owner of the address, matched case-insensitively, or `undefined`. Admins only. @throws Forbidden */
  async execute(actor: Actor, email: unknown): Promise<UserProfile | undefined> {
    assertMayBrowse(actor);
    const parsed = parseEmail(email);
    if (!parsed.ok) throw new ValidationFailed([parsed.problem]);
    const found = await this.repository.findByEmail(parsed.value);
    return found && withStanding(this.repository, this.clock, found);
  }
}
