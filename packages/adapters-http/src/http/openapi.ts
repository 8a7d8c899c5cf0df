import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { maxHeaderSize } from 'node:http';
import { LISTENING_SERVER_TIMEOUTS } from '../app';
import { bytes, duration } from './prose';
import type { AppConfig } from '../config';
import { OPERATION_EXAMPLES } from './examples';
import { methodNotAllowed } from './openapi-method-not-allowed';
import { PHOTO_NAMED_SCHEMAS, photoRouteSchemas } from './photo-schemas';
import { ME_READS_OWN, RATE_LIMIT, RATE_LIMIT_POLICY, USER_ID_PATTERN } from './schema-parts';
import { NAMED_SCHEMAS, routeSchemas } from './schemas';
import { EVENT_NAMED_SCHEMAS, eventRouteSchemas } from './event-schemas';
import { WEBHOOK_NAMED_SCHEMAS, webhookRouteSchemas } from './webhook-schemas';
import { SUSPENSION_NAMED_SCHEMAS, suspensionRouteSchemas } from './suspension-schemas';
import { PUBLIC_PROFILE_NAMED_SCHEMAS, publicProfileRouteSchemas } from './public-profile-schemas';
import { searchRouteSchemas } from './search-schemas';
import type { RouteId } from './routes';
import type { RouteConfig } from './user-routes';

/** Each route's part of the document, by route id. */
const ROUTE_SCHEMAS: Record<string, object> = {
  ...routeSchemas,
  ...photoRouteSchemas,
  ...suspensionRouteSchemas,
  ...eventRouteSchemas,
  ...webhookRouteSchemas,
  ...publicProfileRouteSchemas,
  ...searchRouteSchemas,
};

type Operation = {
  responses: Record<string, Response>;
  operationId?: string;
  description?: string;
  parameters?: {
    in: string;
    name: string;
    description?: string;
    example?: unknown;
    schema: { pattern?: string };
  }[];
  requestBody?: { content: Record<string, { example?: unknown }> };
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};
type Response = {
  headers?: Record<string, { schema: object; description?: string; required?: boolean }>;
};

/** Sent on every response; quote it when reporting a problem. */
const REQUEST_ID = {
  schema: { type: 'string', format: 'uuid' },
  description: 'The id of this request, also in every log line about it.',
  required: true,
};

/** What any request may get from a listening server before it reaches a route (app.ts). */
const CLIENT_ERRORS = [
  [
    '408',
    `REQUEST_TIMEOUT, the request did not arrive within the ${duration(LISTENING_SERVER_TIMEOUTS.requestTimeout)} the server allows.`,
  ],
  ['431', `HEADERS_TOO_LARGE, the request headers exceed ${bytes(maxHeaderSize)}.`],
] as const;

/**
 * In the open API nobody is signed in, so `/users/me` can never succeed (403): the operation
 * takes a profile id only, and says nothing of `me`.
 */
function withoutMe(operation: Operation): void {
  if (operation.description)
    operation.description = operation.description.replace(ME_READS_OWN, '');
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'path' && parameter.name === 'userId') {
      parameter.schema.pattern = USER_ID_PATTERN;
      parameter.description = 'The profile id (a UUID).';
    }
  }
}

/**
 * The operation's examples (examples.ts) on its parameters and its request body, where tools
 * that drive an API from its document (Dredd, Portman) take the values they send.
 */
function withExamples(operation: Operation): void {
  const examples = OPERATION_EXAMPLES[operation.operationId ?? ''];
  if (!examples) return;
  const byLocation: Record<string, Readonly<Record<string, unknown>> | undefined> = {
    path: { userId: examples.userId, webhookId: examples.webhookId },
    query: examples.query,
    header: examples.headers,
  };
  for (const parameter of operation.parameters ?? []) {
    const example = byLocation[parameter.in]?.[parameter.name];
    if (example !== undefined) parameter.example = example;
  }
  for (const media of Object.values(operation.requestBody?.content ?? {})) {
    if (examples.body) media.example = examples.body;
  }
}

/** A header of the document from a schema carrying its description. */
const asHeader = ({ description, ...schema }: { description: string }) => ({ schema, description });

/**
 * The OpenAPI 3 document, generated from the route schemas, at `/openapi.json`. It describes the
 * running service: security as its `AUTH_MODE` has it, and the headers every response carries.
 */
export function openApiDocument(app: FastifyInstance, config: AppConfig): void {
  const jwt = config.auth.mode === 'jwt';
  // Only here, for the document: the routes themselves carry no schema (see user-routes.ts).
  for (const schema of [
    ...NAMED_SCHEMAS,
    ...PHOTO_NAMED_SCHEMAS,
    ...SUSPENSION_NAMED_SCHEMAS,
    ...EVENT_NAMED_SCHEMAS,
    ...WEBHOOK_NAMED_SCHEMAS,
    ...PUBLIC_PROFILE_NAMED_SCHEMAS,
  ]) {
    app.addSchema(schema);
  }
  /** The routes this server serves, whose methods a 405's `Allow` lists. */
  const servedRoutes = new Set<RouteId>();
  app.addHook('onRoute', (route) => {
    const id = (route.config as Partial<RouteConfig> | undefined)?.routeId;
    if (id !== undefined) servedRoutes.add(id);
    if (id !== undefined && ROUTE_SCHEMAS[id]) route.schema = ROUTE_SCHEMAS[id];
  });
  void app.register(swagger, {
    openapi: documentHead(jwt),
    // Names of the shared schemas in the document: their $id (UserProfile, Problem), not def-0.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    transformObject: (documentObject) => {
      const served = (documentObject as { openapiObject: object }).openapiObject;
      const doc = served as Document;
      // The create body's DTO leaves the e-mail optional; the domain requires it unless a
      // signed-in user's verified address stands in (jwt mode).
      const created = doc.components?.schemas?.NewProfile as {
        required?: string[];
        description?: string;
      };
      if (jwt) {
        created.description =
          "A new profile: names required. Its e-mail is the verified address of the caller's ID token (another is 400), so it may be left out; administrators give any address.";
      } else {
        created.required = ['email', ...(created.required ?? [])];
      }
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const operation of Object.values(operations)) {
          completeOperation(path, operation, jwt, servedRoutes);
        }
      }
      return served;
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** What the document says of itself: its title, tags and the running mode's security. */
function documentHead(jwt: boolean): NonNullable<FastifyDynamicSwaggerOptions['openapi']> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'User-profile API',
      version: '1.0.0',
      description: 'Profiles for a mobile app. Errors are application/problem+json (RFC 9457).',
      contact: { name: 'User-profile service', url: 'https://github.com/userprofile/service' },
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'users', description: 'Profiles: create, read, update, delete, list, find.' },
      {
        name: 'photos',
        description: 'Profile photos: upload straight to storage, commit, remove.',
      },
      {
        name: 'suspensions',
        description: "Administrators' suspensions of accounts: reason, end, history.",
      },
      {
        name: 'events',
        description:
          'The change feed: every committed change, replayable, and each profile’s history.',
      },
      {
        name: 'webhooks',
        description:
          'Signed webhooks (Standard Webhooks) of the change feed: register, rotate, disable.',
      },
      {
        name: 'public profiles',
        description: "Other users' public profiles, for any signed-in user.",
      },
      { name: 'health', description: 'Liveness and readiness.' },
    ],
    components: jwt
      ? {
          securitySchemes: {
            bearer: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'A Cognito ID or access token. Without one: 401 with a WWW-Authenticate challenge.',
            },
          },
        }
      : {},
    // The open API (AUTH_MODE=none) needs nothing: an empty requirement says so explicitly.
    security: jwt ? [{ bearer: [] }] : [],
  };
}

/**
 * One operation as served: its examples, the mode's security and `me`, the rate-limit headers of
 * a counted write, the 405 of its path, the client errors any request may get, and the headers
 * every answer carries.
 */
function completeOperation(
  path: string,
  operation: Document['paths'][string][string],
  jwt: boolean,
  servedRoutes: ReadonlySet<RouteId>,
): void {
  withExamples(operation);
  if (!jwt) {
    delete (operation as { security?: unknown }).security;
    withoutMe(operation);
    // Writes are rate-limited per subject, and only in jwt mode.
    delete operation.responses['429'];
  } else if (operation.responses['429']) {
    // A counted write's success tells the budget left too (none with RATE_LIMIT_WRITES=0).
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!status.startsWith('2')) continue;
      response.headers = {
        ...response.headers,
        'RateLimit-Policy': asHeader(RATE_LIMIT_POLICY),
        RateLimit: asHeader(RATE_LIMIT),
      };
    }
  }
  operation.responses['405'] = methodNotAllowed(path, servedRoutes) as Response;
  // Refused by Node's HTTP parser before any route, on a listening server (app.ts).
  for (const [status, why] of CLIENT_ERRORS) {
    operation.responses[status] ??= {
      description: `Problem (${status}): ${why}`,
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      },
    } as Response;
  }
  for (const response of Object.values(operation.responses)) {
    if (path.startsWith('/users'))
      response.headers = { ...response.headers, 'X-Request-Id': REQUEST_ID };
    for (const header of Object.values(response.headers ?? {})) {
      // Route schemas mark a header required inside its schema; OpenAPI wants it beside.
      const { required, ...schema } = header.schema as { required?: boolean };
      if (required === true) {
        header.required = true;
        header.schema = schema;
      }
    }
  }
}
