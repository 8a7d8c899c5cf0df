/** API Gateway proxy events as Lambda receives them, for in-process and bundle tests. */
export interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** REST API (payload 1.0). With `stageInPath`, `path` carries the stage too, as custom domains do. */
export function restEvent(spec: RequestSpec, stage = 'dev', stageInPath = false) {
  const headers = {
    accept: 'application/json',
    ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...spec.headers,
  };
  const resource = spec.path.startsWith('/users/') ? '/users/{userId}' : spec.path;
  return {
    resource,
    path: stageInPath ? `/${stage}${spec.path}` : spec.path,
    httpMethod: spec.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: spec.query ?? null,
    multiValueQueryStringParameters: spec.query
      ? Object.fromEntries(Object.entries(spec.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: spec.path.startsWith('/users/')
      ? { userId: spec.path.slice('/users/'.length) }
      : null,
    stageVariables: null,
    requestContext: {
      resourcePath: resource,
      path: `/${stage}${spec.path}`,
      httpMethod: spec.method,
      stage,
      requestId: 'test-request',
      identity: { sourceIp: '127.0.0.1' },
    },
    body: spec.body === undefined ? null : JSON.stringify(spec.body),
    isBase64Encoded: false,
  };
}

/** HTTP API (payload 2.0); a named stage appears in `rawPath`. */
export function httpApiEvent(spec: RequestSpec, stage = 'dev') {
  const rawPath = stage === '$default' ? spec.path : `/${stage}${spec.path}`;
  const rawQueryString = new URLSearchParams(spec.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: `${spec.method} ${spec.path.startsWith('/users/') ? '/users/{userId}' : spec.path}`,
    rawPath,
    rawQueryString,
    headers: {
      ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...spec.headers,
    },
    ...(spec.query ? { queryStringParameters: spec.query } : {}),
    requestContext: {
      http: {
        method: spec.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      stage,
      requestId: 'test-request',
      routeKey: `${spec.method} ${spec.path}`,
      timeEpoch: Date.now(),
    },
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    isBase64Encoded: false,
  };
}

/** The walk-through every deployable must answer: create, get, list, update, delete. */
export const crudWalk = (email: string): RequestSpec[] => [
  { method: 'POST', path: '/users', body: { email, firstName: 'Ada', lastName: 'Lovelace' } },
  { method: 'GET', path: '/users/{{userId}}' },
  { method: 'GET', path: '/users', query: { limit: '5' } },
  {
    method: 'PUT',
    path: '/users/{{userId}}',
    headers: { 'if-match': '"1"', 'content-type': 'application/json' },
    body: { lastName: 'King' },
  },
  { method: 'DELETE', path: '/users/{{userId}}', headers: { 'if-match': '"2"' } },
  { method: 'GET', path: '/users/{{userId}}' },
];
