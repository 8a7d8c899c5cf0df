import type { UserProfileRepository } from '@userprofile/domain';

/** A route of the API and the repository methods serving it may call. */
export interface RouteDeclaration {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** In OpenAPI's and API Gateway's form: `/users/{userId}`. */
  readonly path: string;
  readonly repository: readonly (keyof UserProfileRepository)[];
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
  // A read by the owner takes an e-mail address changed at the identity provider (an update).
  get: { method: 'GET', path: '/users/{userId}', repository: ['get', 'update'] },
  update: { method: 'PUT', path: '/users/{userId}', repository: ['get', 'update'] },
  patch: { method: 'PATCH', path: '/users/{userId}', repository: ['get', 'update'] },
  remove: { method: 'DELETE', path: '/users/{userId}', repository: ['get', 'delete'] },
} as const satisfies Record<string, RouteDeclaration>;

export type RouteId = keyof typeof ROUTES;
