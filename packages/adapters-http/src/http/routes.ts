import type { PhotoStore, UserProfileRepository } from '@userprofile/domain';

/** A route of the API and the repository (and photo store) methods serving it may call. */
export interface RouteDeclaration {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** In OpenAPI's and API Gateway's form: `/users/{userId}`. */
  readonly path: string;
  readonly repository: readonly (keyof UserProfileRepository)[];
  /**
   * The photo store methods it may call: such a route is served only where the photo store is
   * (the photo functions, the listening server), and its function gets their grants.
   */
  readonly photoStore?: readonly (keyof PhotoStore)[];
  /** It decodes images: its function gets more memory. */
  readonly processesImages?: boolean;
}

/**
 * Every route of the user API, declared once: the app registers exactly these (each bound to the
 * controller method of the same name), and the CDK stack routes each to its function and derives
 * the function's table grants from the repository methods listed here (and the DynamoDB actions
 * each of those declares in adapters-dynamo). `/users/me` is `/users/{userId}`.
 */
export const ROUTES = {
  create: { method: 'POST', path: '/users', repository: ['findIdempotencyRecord', 'create'] },
  // Also find by e-mail: `GET /users?email=...`.
  list: { method: 'GET', path: '/users', repository: ['list', 'findByEmail'] },
  // A read never writes: an address changed at the identity provider comes with a write.
  get: { method: 'GET', path: '/users/{userId}', repository: ['get'] },
  update: { method: 'PUT', path: '/users/{userId}', repository: ['get', 'update'] },
  patch: { method: 'PATCH', path: '/users/{userId}', repository: ['get', 'update'] },
  remove: {
    method: 'DELETE',
    path: '/users/{userId}',
    repository: ['get', 'delete'],
    photoStore: ['deleteRenditions', 'deleteUploads'],
  },
  startPhotoUpload: {
    method: 'POST',
    path: '/users/{userId}/photo',
    repository: ['get'],
    photoStore: ['uploadTicket'],
  },
  commitPhoto: {
    method: 'PUT',
    path: '/users/{userId}/photo',
    repository: ['get', 'update'],
    photoStore: ['findUpload', 'deleteUpload', 'saveRenditions', 'deleteRenditions'],
    processesImages: true,
  },
  removePhoto: {
    method: 'DELETE',
    path: '/users/{userId}/photo',
    repository: ['get', 'update'],
    photoStore: ['deleteRenditions'],
  },
} as const satisfies Record<string, RouteDeclaration>;

export type RouteId = keyof typeof ROUTES;

/** Whether a route needs the photo store. */
export const usesPhotoStore = (id: RouteId): boolean =>
  ((ROUTES[id] as RouteDeclaration).photoStore?.length ?? 0) > 0;
