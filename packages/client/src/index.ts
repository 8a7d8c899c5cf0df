export {
  ProblemError,
  ProfileClient,
  type NewProfile,
  type Problem,
  type ProfileUpdate,
  type ProfileClientOptions,
  type ProfileMergePatch,
  type ProfilePage,
  type UserProfile,
} from './client';
export type { components, operations, paths } from './schema';
