import type {
  ChangeEventStore,
  PhotoStore,
  ProfileSearch,
  UserProfileRepository,
  WebhookRegistry,
} from '@userprofile/domain';

/** A route of the API and the repository (and photo store) methods serving it may call. */
export interface RouteDeclaration {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** In OpenAPI's and API Gateway's form: `/users/{userId}`. */
  readonly path: string;
  readonly repository: readonly (keyof UserProfileRepository)[];
  /** The profile search's methods it may call (administrators' search). */
  readonly search?: readonly (keyof ProfileSearch)[];
  /**
   * The photo store methods it may call: such a route is served only where the photo store is
   * (the photo functions, the listening server), and its function gets their grants.
   */
  readonly photoStore?: readonly (keyof PhotoStore)[];
  /** It decodes images: its function gets more memory. */
  readonly processesImages?: boolean;
  /** The change-event store methods it may call (the change feed's routes). */
  readonly events?: readonly (keyof ChangeEventStore)[];
  /** The webhook registry methods it may call (the webhook administration routes). */
  readonly webhooks?: readonly (keyof WebhookRegistry)[];
}

/**
 * Every route of the user API, declared once: the app registers exactly these (each bound to the
 * controller method of the same name), and the CDK stack routes each to its function and derives
 * the function's table grants from the repository methods listed here (and the DynamoDB actions
 * each of those declares in adapters-dynamo). `/users/me` is `/users/{userId}`.
 */
export const ROUTES = {
  // Every answer with a profile says whether its subject is suspended (`getSuspensions`).
  create: {
    method: 'POST',
    path: '/users',
    repository: ['findIdempotencyRecord', 'create', 'getSuspensions'],
  },
  // Also find by e-mail (`?email=`), and the profiles suspended now (`?suspended=true`); a
  // page's standing, or its suspended subjects' profiles, in one batch.
  list: {
    method: 'GET',
    path: '/users',
    repository: [
      'list',
      'getSuspensionsOf',
      'findByEmail',
      'getSuspensions',
      'listSuspended',
      'getMany',
    ],
  },
  // Administrators' search by name, e-mail, domain or handle prefix; the page's standing in one
  // batch. Before `/users/{userId}`, whose `search` it would otherwise be.
  search: {
    method: 'GET',
    path: '/users/search',
    repository: ['getSuspensionsOf'],
    search: ['search'],
  },
  // A read never writes: an address changed at the identity provider comes with a write.
  get: { method: 'GET', path: '/users/{userId}', repository: ['getWithSuspensions'] },
  // Any signed-in user's reads of others' public profiles: batches, never one read per id.
  publicProfile: {
    method: 'GET',
    path: '/users/{userId}/public',
    repository: ['getMany', 'getSuspensionsOf'],
  },
  publicProfiles: {
    method: 'GET',
    path: '/users/public',
    repository: ['getMany', 'getSuspensionsOf', 'findByUsername'],
  },
  // An administrator's `blocked` suspends or lifts (`saveSuspensions`).
  update: {
    method: 'PUT',
    path: '/users/{userId}',
    repository: ['get', 'update', 'getSuspensions', 'saveSuspensions'],
  },
  patch: {
    method: 'PATCH',
    path: '/users/{userId}',
    repository: ['get', 'update', 'getSuspensions', 'saveSuspensions'],
  },
  remove: {
    method: 'DELETE',
    path: '/users/{userId}',
    repository: ['get', 'delete'],
    photoStore: ['deleteRenditions', 'deleteUploads'],
  },
  startPhotoUpload: {
    method: 'POST',
    path: '/users/{userId}/photo',
    repository: ['get', 'getSuspensions'],
    photoStore: ['uploadTicket'],
  },
  commitPhoto: {
    method: 'PUT',
    path: '/users/{userId}/photo',
    repository: ['get', 'update', 'getSuspensions'],
    photoStore: ['findUpload', 'deleteUpload', 'saveRenditions', 'deleteRenditions'],
    processesImages: true,
  },
  removePhoto: {
    method: 'DELETE',
    path: '/users/{userId}/photo',
    repository: ['get', 'update', 'getSuspensions'],
    photoStore: ['deleteRenditions'],
  },
  // The subject's suspension (administrators only): its record outlives the profile.
  suspend: {
    method: 'PUT',
    path: '/users/{userId}/suspension',
    repository: ['getSuspensions', 'saveSuspensions'],
  },
  liftSuspension: {
    method: 'DELETE',
    path: '/users/{userId}/suspension',
    repository: ['getSuspensions', 'saveSuspensions'],
  },
  suspensions: {
    method: 'GET',
    path: '/users/{userId}/suspensions',
    repository: ['getSuspensions'],
  },
} as const satisfies Record<string, RouteDeclaration>;

/**
 * The change feed's routes, served where the event store is (`EVENT_TABLE_NAME` set): declared
 * apart from `ROUTES`, whose every route has a function in the CDK stack.
 */
export const EVENT_ROUTES = {
  // Every profile's events in the order recorded (administrators only).
  events: { method: 'GET', path: '/events', repository: [], events: ['feed'] },
  // One profile's events, newest first (its owner and administrators).
  history: {
    method: 'GET',
    path: '/users/{userId}/history',
    repository: [],
    events: ['history'],
  },
  // Webhook endpoints (administrators only): the secret is answered on create and rotation only.
  createWebhook: { method: 'POST', path: '/webhooks', repository: [], webhooks: ['list', 'put'] },
  listWebhooks: { method: 'GET', path: '/webhooks', repository: [], webhooks: ['list'] },
  deleteWebhook: {
    method: 'DELETE',
    path: '/webhooks/{webhookId}',
    repository: [],
    webhooks: ['get', 'delete'],
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: '/webhooks/{webhookId}/rotate-secret',
    repository: [],
    webhooks: ['get', 'put'],
  },
  disableWebhook: {
    method: 'POST',
    path: '/webhooks/{webhookId}/disable',
    repository: [],
    webhooks: ['get', 'put'],
  },
  enableWebhook: {
    method: 'POST',
    path: '/webhooks/{webhookId}/enable',
    repository: [],
    webhooks: ['get', 'put'],
  },
} as const satisfies Record<string, RouteDeclaration>;

/** Every route the app can serve. */
export const ALL_ROUTES = { ...ROUTES, ...EVENT_ROUTES } as const;

export type RouteId = keyof typeof ROUTES | keyof typeof EVENT_ROUTES;

/** Whether a route needs the photo store. */
export const usesPhotoStore = (id: RouteId): boolean =>
  ((ALL_ROUTES[id] as RouteDeclaration).photoStore?.length ?? 0) > 0;
