import type { Clock, MetadataSchemas, UserProfileRepository } from '../ports';
import { applyUpdate } from '../user-profile';
import { ChangeUserProfile } from './change-user-profile';

/** `PUT`: the given fields replace the stored ones, the others are kept. Never creates. */
export class UpdateUserProfile extends ChangeUserProfile {
  constructor(repository: UserProfileRepository, clock: Clock, schemas?: MetadataSchemas) {
    super(repository, clock, applyUpdate, schemas);
  }
}
