import type { Clock, MetadataSchemas, UserProfileRepository } from '../ports';
import { applyMergePatch } from '../user-profile';
import { ChangeUserProfile } from './change-user-profile';

/** `PATCH` with an RFC 7396 JSON merge patch. Never creates. */
export class PatchUserProfile extends ChangeUserProfile {
  constructor(repository: UserProfileRepository, clock: Clock, schemas?: MetadataSchemas) {
    super(repository, clock, applyMergePatch, schemas);
  }
}
