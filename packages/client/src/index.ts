export {
  ProblemError,
  ProfileClient,
  type NewProfile,
  type Problem,
  type ProfileChanges,
  type ProfileClientOptions,
  type ProfileMergePatch,
  type ProfilePage,
  type UserProfile,
} from './client';
export type { components, operations, paths } from './schema';
