import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ChangeEventStore,
  Clock,
  CommitPhoto,
  CreateUserProfile,
  DeleteUserProfile,
  FindUserProfileByEmail,
  GetUserProfile,
  IdGenerator,
  ImageProcessor,
  ListUserProfiles,
  ManageSuspensions,
  ManageWebhooks,
  PatchUserProfile,
  PhotoReferences,
  ReadChangeFeed,
  ReadProfileHistory,
  PhotoStore,
  ProfileSearch,
  SearchUserProfiles,
  SweepOrphanRenditions,
  RemovePhoto,
  StartPhotoUpload,
  UpdateUserProfile,
  UserProfileRepository,
  WebhookRegistry,
} from '@userprofile/domain';
import type { ServiceIdentifier } from 'inversify';
import type { Authenticator } from './auth/authenticator';
import type { AppConfig } from './config';
import type { ProfilePresenter } from './http/profile-view';
import type { RouteHandlers } from './http/user-routes';

/** Answers when the service can reach its storage; throws when it cannot. */
export type ReadinessCheck = () => Promise<void>;

const token = <T>(name: string) => Symbol.for(`userprofile.${name}`) as ServiceIdentifier<T>;

/** The container's service identifiers; `Symbol.for` so they survive duplicate module copies. */
export const TOKENS = {
  Config: token<AppConfig>('Config'),
  DynamoClient: token<DynamoDBClient>('DynamoClient'),
  DocumentClient: token<DynamoDBDocumentClient>('DocumentClient'),
  Repository: token<UserProfileRepository>('UserProfileRepository'),
  ProfileSearch: token<ProfileSearch>('ProfileSearch'),
  SearchUserProfiles: token<SearchUserProfiles>('SearchUserProfiles'),
  Readiness: token<ReadinessCheck>('ReadinessCheck'),
  Authenticator: token<Authenticator>('Authenticator'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  CreateUserProfile: token<CreateUserProfile>('CreateUserProfile'),
  GetUserProfile: token<GetUserProfile>('GetUserProfile'),
  FindUserProfileByEmail: token<FindUserProfileByEmail>('FindUserProfileByEmail'),
  ListUserProfiles: token<ListUserProfiles>('ListUserProfiles'),
  ManageSuspensions: token<ManageSuspensions>('ManageSuspensions'),
  UpdateUserProfile: token<UpdateUserProfile>('UpdateUserProfile'),
  PatchUserProfile: token<PatchUserProfile>('PatchUserProfile'),
  DeleteUserProfile: token<DeleteUserProfile>('DeleteUserProfile'),
  PhotoStore: token<PhotoStore>('PhotoStore'),
  ImageProcessor: token<ImageProcessor>('ImageProcessor'),
  StartPhotoUpload: token<StartPhotoUpload>('StartPhotoUpload'),
  CommitPhoto: token<CommitPhoto>('CommitPhoto'),
  RemovePhoto: token<RemovePhoto>('RemovePhoto'),
  PhotoReferences: token<PhotoReferences>('PhotoReferences'),
  SweepOrphanRenditions: token<SweepOrphanRenditions>('SweepOrphanRenditions'),
  ProfilePresenter: token<ProfilePresenter>('ProfilePresenter'),
  EventStore: token<ChangeEventStore>('ChangeEventStore'),
  ReadChangeFeed: token<ReadChangeFeed>('ReadChangeFeed'),
  ReadProfileHistory: token<ReadProfileHistory>('ReadProfileHistory'),
  WebhookRegistry: token<WebhookRegistry>('WebhookRegistry'),
  ManageWebhooks: token<ManageWebhooks>('ManageWebhooks'),
  /** The change feed's routes; unbound where there is no event store. */
  EventRoutes: token<RouteHandlers>('EventRoutes'),
  /** The photo module's routes; unbound where the photo module is not loaded. */
  PhotoRoutes: token<RouteHandlers>('PhotoRoutes'),
} as const;
