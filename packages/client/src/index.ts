export {
  ProblemError,
  type ChangeEvent,
  type EventFeedPage,
  ProfileClient,
  type NewProfile,
  type PhotoUploadRequest,
  type UploadTicket,
  type Problem,
  type ProfileUpdate,
  type ProfileClientOptions,
  type ProfileMergePatch,
  type ProfilePage,
  type Suspension,
  type SuspensionRequest,
  type UserProfile,
} from './client.js';
export type { components, operations, paths } from './schema.js';
