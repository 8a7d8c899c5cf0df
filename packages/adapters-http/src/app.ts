import cors, { type FastifyCorsOptions } from '@fastify/cors';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyHttpOptions,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Container } from 'inversify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppConfig } from './config';
import { BODY_LIMIT_BYTES } from './http/body-limit';
import { CORS_POLICY } from './http/cors-policy';
import { registerErrorHandler, sendProblem } from './http/error-handler';
import { healthRoutes } from './http/health-routes';
import { privateLoggerOptions } from './http/log-privacy';
import { PROBLEM_CONTENT_TYPE, problem, type ProblemCode } from './http/problem';
import { securityHeaderValues } from './http/security-headers';
import { SuspensionController } from './http/suspension-controller';
import { PublicProfileController } from './http/public-profile-controller';
import { SearchController } from './http/search-controller';
import { UserProfileController } from './http/user-profile-controller';
import { allowedMethods } from './http/allowed-methods';
import { userRoutes, type RouteHandlers } from './http/user-routes';
import { TOKENS } from './tokens';

export { BODY_LIMIT_BYTES };

/**
 * The listening server's timeouts (server.ts): a whole request (headers and body, at most
 * BODY_LIMIT_BYTES) within 15 s, checked every second, so a client trickling bytes cannot hold a
 * connection longer; an idle keep-alive connection is closed after 5 s.
 */
export const LISTENING_SERVER_TIMEOUTS = {
  connectionTimeout: 15_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
} as const;

/**
 * What Node's HTTP parser refuses before any request exists (a header block too large, a request
 * not received in time, bytes that are not HTTP) is answered on the socket, as Fastify's default
 * handler does, but as every other answer: problem+json with the security headers and a request id.
 */
function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail]: [number, ProblemCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.']
        : [400, 'MALFORMED_REQUEST', 'The request is malformed.'];
  this.log.debug({ code: error.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problem(status, code, detail));
    const headers = {
      ...securityHeaderValues(),
      'x-request-id': randomUUID(),
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
  }
  socket.destroy(error);
}

/** The longest path parameter (a profile id) routed; a longer one is 414. */
const MAX_PATH_PARAM_LENGTH = 200;

/** Methods whose requests carry no body in this API. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

// Fastify types these factories after ajv's; ours accept everything and return plain JSON.
const NO_SCHEMA_COMPILERS = {
  compilersFactory: {
    buildValidator: () => () => () => true,
    buildSerializer: () => () => (data: unknown) => JSON.stringify(data),
  },
} as unknown as FastifyServerOptions['schemaController'];

/** One log line per request, when it completes, with its route: not Fastify's two. */
class OneLinePerRequest extends LogController {
  constructor(private readonly level: 'info' | 'debug') {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log[this.level](line, 'request completed');
  }
}

export interface BuildAppOptions {
  /**
   * `false` silences the log (tests); otherwise a level and a stream replace the configured level
   * and standard output. The serializers that keep personal data out apply whatever is given.
   */
  readonly logger?:
    false | { readonly level?: string; readonly stream?: { write(line: string): void } };
  /**
   * Called with the root instance after CORS and before the routes: the OpenAPI document and the
   * `/docs` UI (see http/openapi.ts), which the local server and the tests add and the Lambda
   * bundle leaves out (API Gateway routes only `/users` paths to it).
   */
  readonly extensions?: readonly ((app: FastifyInstance, config: AppConfig) => void)[];
  /**
   * The level of the line logged for each request that did not fail. A Lambda logs it at `debug`:
   * Lambda's own START/END/REPORT lines and API Gateway's access log already record every
   * request, and writing a line costs a warm invocation about a fifth of a millisecond.
   * @default 'info'
   */
  readonly requestLogLevel?: 'info' | 'debug';
  /** Server timeouts, for a server that listens (the local one). */
  readonly server?: Pick<
    FastifyServerOptions,
    'connectionTimeout' | 'requestTimeout' | 'keepAliveTimeout'
  > & {
    /**
     * How often Node checks `requestTimeout` (its default, 30 s, lets a body trickling in a byte
     * at a time hold a connection for up to a minute past the timeout).
     */
    readonly connectionsCheckingInterval?: number;
  };
}

/**
 * Builds the Fastify app from a container: the same app serves the local server, the tests and
 * every Lambda. Call once per process; `await app.ready()` before the first request.
 */
export function buildApp(container: Container, options: BuildAppOptions = {}): FastifyInstance {
  const config = container.get(TOKENS.Config) as AppConfig;
  const app = Fastify(serverOptions(config, options));
  const handlers = routeHandlers(container);
  void app.register(jsonBodies);
  void app.register(problemAnswers, { allowed: allowedMethods(handlers) });
  void app.register(answerHeaders);
  void app.register(cors, corsOptions(config));
  for (const extend of options.extensions ?? []) extend(app, config);
  void app.register(healthRoutes(container.get(TOKENS.Readiness)));
  if (config.auth.mode === 'none') {
    app.log.warn(
      'AUTH_MODE=none: the API is open, anyone may read, change and delete every profile. Set AUTH_MODE=jwt outside a local machine.',
    );
  }
  void app.register(userRoutes(handlers, container.get(TOKENS.Authenticator)));
  return app;
}

/** Fastify's options: the private log, the limits, no schema compilers, the timeouts. */
function serverOptions(config: AppConfig, options: BuildAppOptions): FastifyHttpOptions<Server> {
  return {
    logger:
      options.logger === false
        ? false
        : privateLoggerOptions(options.logger?.level ?? config.logLevel, options.logger?.stream),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    logController: new OneLinePerRequest(options.requestLogLevel ?? 'info'),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Route schemas document the API (OpenAPI); requests are validated by the class-validator DTOs
    // and the domain, and responses are plain JSON. So no schema is compiled at start-up, and
    // Fastify never loads ajv or fast-json-stringify (the Lambda bundle leaves them out).
    schemaController: NO_SCHEMA_COMPILERS,
    // Errors Fastify raises before routing (a malformed URL, say) get the same problem answers.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      // Before routing, so before the hooks that add these to every other answer.
      reply.headers(securityHeaderValues());
      reply.header('x-request-id', request.id);
      void sendProblem(
        reply,
        status === 414
          ? problem(
              414,
              'URI_TOO_LONG',
              `The path is too long: a profile id is at most ${MAX_PATH_PARAM_LENGTH} characters.`,
            )
          : problem(
              status >= 400 && status < 500 ? status : 400,
              'MALFORMED_REQUEST',
              'The request is malformed.',
            ),
      );
    },
    clientErrorHandler: answerClientError,
    connectionTimeout: options.server?.connectionTimeout,
    requestTimeout: options.server?.requestTimeout,
    keepAliveTimeout: options.server?.keepAliveTimeout,
    // Node reads these when it creates the server (Fastify sets requestTimeout after, too late
    // for the checker that enforces it).
    http: {
      connectionsCheckingInterval: options.server?.connectionsCheckingInterval,
      ...(options.server?.requestTimeout
        ? {
            requestTimeout: options.server.requestTimeout,
            headersTimeout: Math.min(60_000, options.server.requestTimeout),
          }
        : {}),
    },
  };
}

/**
 * Many mobile HTTP stacks send `Content-Type: application/json` on every request: an empty body
 * is no body on the methods that carry none, and still a 400 on POST, PUT and PATCH. Merge
 * patches are JSON too.
 */
const jsonBodies = fp(
  (app: FastifyInstance) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    const parseJsonOrNothing: typeof parseJson = (request, body, done) => {
      if (body === '' && BODYLESS_METHODS.has(request.method)) return done(null, undefined);
      return parseJson(request, body, done);
    };
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonOrNothing);
    app.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      parseJsonOrNothing,
    );
  },
  { name: 'json-bodies' },
);

/**
 * Every answer carries the security headers, computed once by helmet at start-up (@fastify/helmet
 * builds helmet's middleware again on every request, parsing its options and its CSP directives:
 * about 20 µs of each GET's CPU in `pnpm bench`, ADR 0024), and names its request, as every log
 * line about it does. Set in one hook when the request arrives, so that errors carry them too
 * (Fastify keeps the headers set before an error), and with no `onSend` hook, which Fastify would
 * run on every answer (ADR 0027).
 */
const answerHeaders = fp(
  (app: FastifyInstance) => {
    const headers = securityHeaderValues();
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(headers);
      reply.header('x-request-id', request.id);
      done();
    });
  },
  { name: 'answer-headers' },
);

/**
 * Every error as problem+json: the error handler, and the answers of no route: 405 with `Allow`
 * on a known path, 404 otherwise.
 */
const problemAnswers = fp(
  (app: FastifyInstance, { allowed }: { allowed: ReturnType<typeof allowedMethods> }) => {
    registerErrorHandler(app);
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const route = allowed.find((r) => r.pattern.test(path));
      if (!route)
        return sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', 'There is no such route.'));
      reply.header('allow', route.methods);
      return sendProblem(
        reply,
        problem(
          405,
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed here; use ${route.methods}.`,
        ),
      );
    });
  },
  { name: 'problem-answers' },
);

/** CORS for the configured origins, as CORS_POLICY states it (API Gateway's preflight too). */
function corsOptions(config: AppConfig): FastifyCorsOptions {
  const origins = config.corsOrigins;
  return {
    origin: origins === '*' ? '*' : [...origins],
    methods: [...CORS_POLICY.methods],
    allowedHeaders: [...CORS_POLICY.allowedHeaders],
    exposedHeaders: [...CORS_POLICY.exposedHeaders],
    maxAge: CORS_POLICY.maxAgeSeconds,
    // An OPTIONS request that is not a CORS preflight is answered too, not refused in plain text.
    strictPreflight: false,
  };
}

/**
 * The profile routes' handlers, those of the photo module where it is loaded, and the change
 * feed's where there is an event store.
 */
function routeHandlers(container: Container): RouteHandlers {
  const profiles = container.get(UserProfileController);
  const suspensions = container.get(SuspensionController);
  const publicProfiles = container.get(PublicProfileController);
  const own: RouteHandlers = {
    suspend: (request) => suspensions.suspend(request),
    liftSuspension: (request, reply) => suspensions.lift(request, reply),
    suspensions: (request) => suspensions.history(request),
    create: (request, reply) => profiles.create(request, reply),
    list: (request) => profiles.list(request),
    get: (request, reply) => profiles.get(request, reply),
    publicProfile: (request, reply) => publicProfiles.one(request, reply),
    publicProfiles: (request, reply) => publicProfiles.many(request, reply),
    update: (request, reply) => profiles.update(request, reply),
    patch: (request, reply) => profiles.patch(request, reply),
  };
  // The search where there is one (a container on an in-memory repository may have none).
  if (container.isBound(TOKENS.ProfileSearch)) {
    const search = container.get(SearchController);
    own.search = (request) => search.search(request);
  }
  const optional = [TOKENS.PhotoRoutes, TOKENS.EventRoutes].filter((t) => container.isBound(t));
  return Object.assign(own, ...optional.map((t) => container.get(t)));
}
