import {
  createDynamoClients,
  DynamoChangeEventStore,
  DynamoProfileSearch,
  DynamoUserProfileRepository,
  DynamoWebhookRegistry,
  tableReadiness,
} from '@userprofile/adapters-dynamo';
import {
  CreateUserProfile,
  FindUserProfileByEmail,
  GetPublicProfiles,
  GetUserProfile,
  ListUserProfiles,
  ManageSuspensions,
  PatchUserProfile,
  ManageWebhooks,
  SearchUserProfiles,
  ReadChangeFeed,
  ReadProfileHistory,
  UpdateUserProfile,
  type ChangeEventStore,
  type Clock,
  type WebhookRegistry,
  type IdGenerator,
  type MetadataSchemas,
  type PhotoReferences,
  type ProfileSearch,
  type UserProfileRepository,
} from '@userprofile/domain';
import { Container } from 'inversify';
import { randomUUID } from 'node:crypto';
import { openAccess, type Authenticator } from './auth/authenticator';
import { devKeys } from './auth/dev-keys';
import { deliveredKeys, jwtAuthenticator, remoteKeys } from './auth/jwt-authenticator';
import type { AppConfig } from './config';
import { EventController } from './http/event-controller';
import type { RouteHandlers } from './http/user-routes';
import { WebhookController } from './http/webhook-controller';
import { compiledMetadataSchemas } from './metadata-schemas';
import { webhookSecurity } from './webhook-security';
import { profilePresenter } from './http/profile-view';
import { renditionUrls } from '@userprofile/adapters-s3/keys';
import { SuspensionController } from './http/suspension-controller';
import { PublicProfileController } from './http/public-profile-controller';
import { SearchController } from './http/search-controller';
import { UserProfileController } from './http/user-profile-controller';
import { construct } from './construct';
import { TOKENS, type ReadinessCheck } from './tokens';

/** Replacements for tests: an in-memory repository instead of DynamoDB, a fixed clock, ... */
export interface ContainerOverrides {
  /** With it, the photos its profiles show (an in-memory repository is both). */
  readonly repository?: UserProfileRepository & Partial<PhotoReferences>;
  /** The search over `repository`'s profiles (with `repository`: no search route unless given). */
  readonly search?: ProfileSearch;
  readonly readiness?: ReadinessCheck;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** The change feed's store (with `repository`: none unless given). */
  readonly events?: ChangeEventStore;
  /** The webhook endpoints (with `repository`: none unless given). */
  readonly webhooks?: WebhookRegistry;
  /** The declared metadata schemas, instead of the validators this build carries. */
  readonly metadataSchemas?: MetadataSchemas;
  /** Each DynamoDB request's timeout, instead of the client's 1 s (the local server's). */
  readonly storageRequestTimeoutMs?: number;
}

/**
 * The composition root: the only place that knows which adapter backs which port. Everything is a
 * singleton, built once per process (or Lambda cold start) on first use. The routes that touch
 * photo storage (photo upload, commit, removal, and profile deletion) come with the photo module
 * (`photo-module.ts`), which the entries serving them load.
 */
export function createContainer(config: AppConfig, overrides: ContainerOverrides = {}): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TOKENS.Config).toConstantValue(config);

  bindStorage(c, config, overrides);
  if (c.isBound(TOKENS.EventStore)) bindChangeFeed(c, config);
  c.bind(TOKENS.Authenticator).toDynamicValue(() => authenticatorFor(config));
  c.bind(TOKENS.Clock).toConstantValue(overrides.clock ?? { now: () => new Date() });
  c.bind(TOKENS.IdGenerator).toConstantValue(overrides.ids ?? { newId: () => randomUUID() });
  c.bind(TOKENS.MetadataSchemas).toConstantValue(
    overrides.metadataSchemas ?? compiledMetadataSchemas(config.profileSchemas),
  );

  bindProfiles(c, config);
  return c;
}

/** The change feed's reads and routes, on the bound event store (and webhook registry). */
function bindChangeFeed(c: Container, config: AppConfig): void {
  c.bind(TOKENS.ReadChangeFeed).toDynamicValue(construct(ReadChangeFeed, TOKENS.EventStore));
  c.bind(TOKENS.ReadProfileHistory).toDynamicValue(
    construct(ReadProfileHistory, TOKENS.EventStore),
  );
  c.bind(TOKENS.EventRoutes).toDynamicValue((ctx) => {
    const events = new EventController(
      ctx.get(TOKENS.ReadChangeFeed),
      ctx.get(TOKENS.ReadProfileHistory),
    );
    const handlers: RouteHandlers = {
      events: (request) => events.feed(request),
      history: (request) => events.history(request),
    };
    if (!c.isBound(TOKENS.WebhookRegistry)) return handlers;
    const webhooks = new WebhookController(ctx.get(TOKENS.ManageWebhooks));
    const byId = (request: unknown) => request as Parameters<WebhookController['rotate']>[0];
    return {
      ...handlers,
      createWebhook: (request, reply) => webhooks.create(request, reply),
      listWebhooks: (request) => webhooks.list(request),
      rotateWebhookSecret: (request) => webhooks.rotate(byId(request)),
      disableWebhook: (request) => webhooks.setEnabled(byId(request), false),
      enableWebhook: (request) => webhooks.setEnabled(byId(request), true),
      deleteWebhook: (request, reply) => webhooks.remove(byId(request), reply),
    };
  });
  c.bind(TOKENS.ManageWebhooks).toDynamicValue(
    (ctx) =>
      new ManageWebhooks(
        ctx.get(TOKENS.WebhookRegistry),
        webhookSecurity(config),
        ctx.get(TOKENS.Clock),
        ctx.get(TOKENS.IdGenerator),
      ),
  );
}

function authenticatorFor(config: AppConfig): Authenticator {
  const auth = config.auth;
  if (auth.mode === 'none') return openAccess;
  const keys =
    auth.devKeys || auth.jwksUrl === undefined
      ? devKeys(config.dataDir)
      : auth.jwks
        ? deliveredKeys(auth.jwks, auth.jwksUrl)
        : remoteKeys(auth.jwksUrl);
  return jwtAuthenticator(auth, keys);
}

/** The repository and the readiness check (DynamoDB unless given), the event store and webhooks. */
function bindStorage(c: Container, config: AppConfig, overrides: ContainerOverrides): void {
  if (overrides.repository) {
    const { repository } = overrides;
    c.bind(TOKENS.Repository).toConstantValue(repository);
    c.bind(TOKENS.Readiness).toConstantValue(overrides.readiness ?? (async () => undefined));
    if (repository.referencedPhotoIds) {
      c.bind(TOKENS.PhotoReferences).toConstantValue(repository as PhotoReferences);
    }
    if (overrides.search) c.bind(TOKENS.ProfileSearch).toConstantValue(overrides.search);
  } else {
    // One SDK client pair per process, made on first use.
    let pair: ReturnType<typeof createDynamoClients> | undefined;
    const clients = () =>
      (pair ??= createDynamoClients({
        endpoint: config.dynamodbEndpoint,
        region: config.region,
        requestTimeoutMs: overrides.storageRequestTimeoutMs,
      }));
    c.bind(TOKENS.DynamoClient).toDynamicValue(() => clients().client);
    c.bind(TOKENS.DocumentClient).toDynamicValue(() => clients().documentClient);
    const { tableName, searchTableName } = config;
    c.bind(TOKENS.Repository).toDynamicValue(
      (ctx) =>
        new DynamoUserProfileRepository(ctx.get(TOKENS.DocumentClient), {
          tableName,
          ...(searchTableName === undefined ? {} : { searchTableName }),
        }),
    );
    // The search route is served where the search table is (ADR 0025).
    if (searchTableName !== undefined) {
      c.bind(TOKENS.ProfileSearch).toDynamicValue(
        (ctx) =>
          new DynamoProfileSearch(ctx.get(TOKENS.DocumentClient), { tableName, searchTableName }),
      );
    }
    c.bind(TOKENS.Readiness).toDynamicValue((ctx) =>
      tableReadiness(ctx.get(TOKENS.DocumentClient), config.tableName),
    );
  }
  if (overrides.events) c.bind(TOKENS.EventStore).toConstantValue(overrides.events);
  else if (!overrides.repository && config.eventTableName) {
    const eventTable = config.eventTableName;
    c.bind(TOKENS.EventStore).toDynamicValue(
      (ctx) => new DynamoChangeEventStore(ctx.get(TOKENS.DocumentClient), eventTable),
    );
  }
  if (overrides.webhooks) c.bind(TOKENS.WebhookRegistry).toConstantValue(overrides.webhooks);
  else if (!overrides.repository && config.eventTableName) {
    const eventTable = config.eventTableName;
    c.bind(TOKENS.WebhookRegistry).toDynamicValue(
      (ctx) => new DynamoWebhookRegistry(ctx.get(TOKENS.DocumentClient), eventTable),
    );
  }
}

/** The profile use cases and their controllers. */
function bindProfiles(c: Container, config: AppConfig): void {
  c.bind(TOKENS.CreateUserProfile).toDynamicValue(
    construct(
      CreateUserProfile,
      TOKENS.Repository,
      TOKENS.Clock,
      TOKENS.IdGenerator,
      TOKENS.MetadataSchemas,
    ),
  );
  c.bind(TOKENS.GetUserProfile).toDynamicValue(
    construct(GetUserProfile, TOKENS.Repository, TOKENS.Clock),
  );
  c.bind(TOKENS.FindUserProfileByEmail).toDynamicValue(
    construct(FindUserProfileByEmail, TOKENS.Repository, TOKENS.Clock),
  );
  c.bind(TOKENS.ListUserProfiles).toDynamicValue(
    construct(ListUserProfiles, TOKENS.Repository, TOKENS.Clock),
  );
  c.bind(TOKENS.ManageSuspensions).toDynamicValue(
    construct(ManageSuspensions, TOKENS.Repository, TOKENS.Clock),
  );
  c.bind(TOKENS.UpdateUserProfile).toDynamicValue(
    construct(UpdateUserProfile, TOKENS.Repository, TOKENS.Clock, TOKENS.MetadataSchemas),
  );
  c.bind(TOKENS.PatchUserProfile).toDynamicValue(
    construct(PatchUserProfile, TOKENS.Repository, TOKENS.Clock, TOKENS.MetadataSchemas),
  );
  c.bind(SuspensionController).toDynamicValue(
    construct(SuspensionController, TOKENS.ManageSuspensions, TOKENS.Clock),
  );
  // Renditions are served under the CDN's URL in the photo store's key layout.
  const urlsOf = (photoId: string) => renditionUrls(config.photos.publicUrl, photoId);
  c.bind(TOKENS.ProfilePresenter).toConstantValue(profilePresenter(urlsOf));
  c.bind(PublicProfileController).toDynamicValue(
    (ctx) =>
      new PublicProfileController(
        new GetPublicProfiles(
          ctx.get(TOKENS.Repository),
          ctx.get(TOKENS.Clock),
          config.publicDisplayName,
        ),
        urlsOf,
      ),
  );
  c.bind(TOKENS.SearchUserProfiles).toDynamicValue(
    construct(SearchUserProfiles, TOKENS.ProfileSearch, TOKENS.Repository, TOKENS.Clock),
  );
  c.bind(SearchController).toDynamicValue(
    construct(SearchController, TOKENS.SearchUserProfiles, TOKENS.ProfilePresenter),
  );
  c.bind(UserProfileController).toDynamicValue(
    construct(
      UserProfileController,
      TOKENS.CreateUserProfile,
      TOKENS.GetUserProfile,
      TOKENS.FindUserProfileByEmail,
      TOKENS.ListUserProfiles,
      TOKENS.UpdateUserProfile,
      TOKENS.PatchUserProfile,
      TOKENS.ProfilePresenter,
    ),
  );
}
