export {
  OPEN_ACCESS,
  assertMayAccess,
  assertMayBrowse,
  assertMayChange,
  assertMaySuspend,
  ownProfileId,
  userActor,
  type Actor,
} from './actor';
export * from './errors';
export type { JsonObject, JsonValue } from './json';
export {
  PHOTO_CONTENT_TYPES,
  PHOTO_LIMITS,
  parsePhotoCommit,
  parsePhotoUploadRequest,
  type PhotoContentType,
  type PhotoUploadRequest,
  type ProfilePhoto,
  type Rendition,
  type RenditionSize,
  type UploadTicket,
} from './photo';
export type {
  Clock,
  ImageProcessor,
  PhotoStore,
  StoredUpload,
  IdGenerator,
  IdempotencyRecord,
  MetadataSchemas,
  Page,
  PageRequest,
  PhotoReferences,
  ProfileWithSuspensions,
  RenditionOptions,
  SuspensionPage,
  UserProfileRepository,
} from './ports';
export { NO_METADATA_SCHEMAS } from './metadata-schemas';
export {
  SEARCH_FIELDS,
  SEARCH_LIMITS,
  matchesSearch,
  normaliseSearchText,
  searchTermsOf,
  type ProfileSearch,
  type SearchCriteria,
  type SearchField,
  type SearchPageRequest,
} from './profile-search';
export { SearchUserProfiles, type SearchUserProfilesQuery } from './use-cases/search-user-profiles';
export { PROFILE_LIMITS, PROFILE_PATTERNS, isUserId, parseEmail } from './profile-rules';
export { METADATA_TIERS, USERNAME_RULES, usernameKey, type MetadataTier } from './profile-fields';
export {
  applyUpdate,
  applyMergePatch,
  newUserProfile,
  READ_ONLY_FIELDS,
  requestFingerprint,
  sameContent,
  withPhoto,
  type Editor,
  type UserProfile,
} from './user-profile';
export {
  SUSPENSION_LIMITS,
  SUSPENSION_REASONS,
  currentSuspension,
  parseSuspensionRequest,
  withSuspension,
  withoutSuspension,
  type Suspension,
  type SuspensionReason,
  type SuspensionRecord,
  type SuspensionRequest,
} from './suspension';
export { ManageSuspensions } from './use-cases/manage-suspensions';
export {
  CreateUserProfile,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_TTL_MS,
  type CreateResult,
} from './use-cases/create-user-profile';
export { DeleteUserProfile, type DeletionOutcome } from './use-cases/delete-user-profile';
export { SweepOrphanRenditions, type SweepOutcome } from './use-cases/sweep-orphan-renditions';
export { FindUserProfileByEmail } from './use-cases/find-user-profile-by-email';
export { GetUserProfile } from './use-cases/get-user-profile';
export { GetPublicProfiles, type PublicProfiles } from './use-cases/get-public-profiles';
export {
  DISPLAY_NAME_STYLES,
  PUBLIC_PROFILE_LIMITS,
  type DisplayNameStyle,
  type PublicProfile,
} from './public-profile';
export {
  LIST_LIMITS,
  ListUserProfiles,
  type ListUserProfilesQuery,
} from './use-cases/list-user-profiles';
export { CommitPhoto, RemovePhoto, StartPhotoUpload } from './use-cases/photo-uploads';
export { PatchUserProfile } from './use-cases/patch-user-profile';
export { UpdateUserProfile } from './use-cases/update-user-profile';
export {
  CHANGE_EVENT_TYPES,
  SYSTEM_AUTHOR,
  authorOf,
  changeEventOf,
  isChangeAuthor,
  type ChangeAuthor,
  type ChangeEvent,
  type ChangeEventType,
} from './events/change-event';
export {
  profileChangeEvent,
  profileEventId,
  suspensionChangeEvent,
  type ProfileWrite,
} from './events/events-from-changes';
export type {
  ChangeEventPublisher,
  ChangeEventStore,
  EventPage,
  FeedRequest,
  HistoryRequest,
} from './events/event-ports';
export { PublishIncomplete } from './events/event-ports';
export { RecordChanges, type RecordOutcome } from './events/record-changes';
export {
  EVENT_PAGE_LIMITS,
  ReadChangeFeed,
  ReadProfileHistory,
  type FeedQuery,
} from './events/read-events';
export {
  ManageWebhooks,
  WEBHOOK_LIMITS,
  type WebhookEndpoint,
  type WebhookRegistry,
  type WebhookSecurity,
  type WebhookView,
  type WebhookWithSecret,
} from './events/webhooks';
