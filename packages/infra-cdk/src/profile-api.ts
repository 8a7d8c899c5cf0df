import { CORS_POLICY } from '@userprofile/adapters-http/cors-policy';
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { AUTH_REALM, problem, type ProblemCode } from '@userprofile/adapters-http/problem';
import { keptUnlessDestroyed } from './removal';
import { OPERATIONS, type Operation, type ProfileFunctions } from './profile-functions';
import { ROUTES } from '@userprofile/adapters-http/routes';
import { securityHeaderValues } from '@userprofile/adapters-http/security-headers';

/**
 * One JSON line per request: the standard fields, and what tells where a failure came from (the
 * authorizer, the integration, the firewall) and how long each part took. No path parameters
 * and no query strings: ids and e-mails stay out of the access log.
 */
const ACCESS_LOG_FORMAT = apigateway.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integration.status',
    integrationLatency: '$context.integration.latency',
    integrationError: '$context.integration.error',
    authorizerStatus: '$context.authorizer.status',
    authorizerLatency: '$context.authorizer.latency',
    authorizerError: '$context.authorizer.error',
    errorType: '$context.error.responseType',
    errorMessage: '$context.error.message',
    wafStatus: '$context.waf.status',
    xrayTraceId: '$context.xrayTraceId',
  }),
);

/**
 * The seeds' REST API, signed in: every method but CORS preflight needs a Cognito ID token,
 * checked by a user-pool authorizer (and verified again by the app). Regional, `/users` and `/users/{userId}` with Lambda proxy integrations,
 * CORS preflight, a stage named after the environment with execution and JSON access logs,
 * metrics, X-Ray and throttling.
 */
export class ProfileApi extends Construct {
  public readonly api: apigateway.RestApi;
  /** The options of every route's method: the Cognito authorizer, or none when the API is open. */
  public readonly methodOptions: apigateway.MethodOptions;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    fns: ProfileFunctions,
    /** The user pool whose tokens the API accepts; none for `authMode: 'none'` (an open API). */
    userPool?: cognito.IUserPool,
  ) {
    super(scope, id);
    // Named by CloudFormation: kept after the stack, it never collides with a redeployment.
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `userprofile-${config.environment}`,
      description: 'User-profile API',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The account-wide logging role is the account stack's (api-gateway-account.ts), never an
      // environment's: each environment would otherwise take it over, and break it when destroyed.
      cloudWatchRole: false,
      deployOptions: {
        stageName: config.environment,
        // Errors only: INFO execution logs record request parameters (e-mails) and every step.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // The seeds logged full request and response bodies: personal data in logs. Not here.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: config.throttleRateLimit,
        throttlingBurstLimit: config.throttleBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
      defaultCorsPreflightOptions: {
        allowOrigins:
          config.corsOrigins === '*' ? apigateway.Cors.ALL_ORIGINS : [...config.corsOrigins],
        allowMethods: [...CORS_POLICY.methods],
        allowHeaders: [...CORS_POLICY.allowedHeaders],
        exposeHeaders: [...CORS_POLICY.exposedHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });

    // Execution logs (errors only) in a group of the stack's, with its retention: API Gateway would
    // otherwise make it itself, kept forever. Its name holds the API's id, so it never collides.
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${config.environment}`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });
    this.api.deploymentStage.node.addDependency(executionLogs);

    this.addGatewayResponses(config);

    this.methodOptions = userPool ? this.signedIn(config, userPool) : {};
    this.routeToFunctions(fns);
    this.acknowledge(config, userPool !== undefined);
  }

  /** Methods signed in through the user pool's Cognito authorizer. */
  private signedIn(
    config: UserProfileStackConfig,
    userPool: cognito.IUserPool,
  ): apigateway.MethodOptions {
    return {
      authorizationType: apigateway.AuthorizationType.COGNITO,
      authorizer: new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
        authorizerName: `userprofile-${config.environment}-cognito`,
        cognitoUserPools: [userPool],
        identitySource: apigateway.IdentitySource.header('Authorization'),
        resultsCacheTtl: Duration.minutes(5),
      }),
    };
  }

  /** Each route of the app (ROUTES), to the function that serves it, signed in unless open. */
  private routeToFunctions(fns: ProfileFunctions): void {
    // The resources first, in the order ROUTES declares their paths (the deployment's id hashes it).
    for (const { path } of Object.values(ROUTES)) this.api.root.resourceForPath(path);
    for (const [operation, { routes }] of Object.entries(OPERATIONS) as [
      Operation,
      (typeof OPERATIONS)[Operation],
    ][]) {
      const integration = new apigateway.LambdaIntegration(fns.functions[operation], {
        proxy: true,
      });
      for (const id of routes) {
        const { method, path } = ROUTES[id];
        this.api.root.resourceForPath(path).addMethod(method, integration, this.methodOptions);
      }
    }
  }

  /** cdk-nag's rules this API departs from by configuration or design, with the reasons. */
  private acknowledge(config: UserProfileStackConfig, signedIn: boolean): void {
    const open = signedIn
      ? []
      : ([
          [
            'AwsSolutions-APIG4',
            'authMode=none was chosen in configuration: the open API of the seeds, for a throw-away environment.',
          ],
          [
            'AwsSolutions-COG4',
            'authMode=none was chosen in configuration: the open API of the seeds, for a throw-away environment.',
          ],
        ] as const);
    const noWaf = config.waf
      ? []
      : ([
          [
            'AwsSolutions-APIG3',
            'waf=false was chosen in configuration: API Gateway throttling (rate and burst from configuration) still bounds abuse.',
          ],
        ] as const);
    for (const [rule, reason] of [
      ...open,
      ...noWaf,
      [
        'AwsSolutions-APIG2',
        'Requests are validated by the app, against the one definition of each shape, with every problem answered at once as problem+json; an API Gateway validator would duplicate those rules and answer in its own format.',
      ],
    ] as const) {
      Validations.of(this.api).acknowledge({ id: rule, reason });
    }
  }

  /**
   * What API Gateway answers by itself (its authorizer's 401 and 403, throttling, an unknown path,
   * a failed integration) in the API's own shape: problem+json with a `code`, CORS headers so a
   * browser can read it, the security headers, and the Bearer challenge on 401.
   */
  private addGatewayResponses(config: UserProfileStackConfig): void {
    const quoted = (value: string) => `'${value.replace(/'/g, "\\'")}'`;
    const origin =
      config.corsOrigins === '*'
        ? "'*'"
        : config.corsOrigins.length === 1
          ? quoted(config.corsOrigins[0]!)
          : // Several origins: answer the caller's own, as the app's CORS does for allowed ones.
            'method.request.header.Origin';
    const common: Record<string, string> = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': quoted(CORS_POLICY.exposedHeaders.join(', ')),
      Vary: "'Origin'",
      'Content-Type': "'application/problem+json'",
      'Cache-Control': "'no-store'",
    };
    // A static header value is written between single quotes and cannot hold one: the content
    // security policy (`default-src 'none'`) stays out, which a JSON error body does not need.
    for (const [name, value] of Object.entries(securityHeaderValues())) {
      if (!value.includes("'")) common[name] = `'${value}'`;
    }
    const T = apigateway.ResponseType;
    // Every response type API Gateway may give for this API, each with the status it keeps (an
    // unknown path is 404 here, not API Gateway's 403), then catch-alls that state their status.
    const answers: [string, apigateway.ResponseType, number, ProblemCode, string?][] = [
      ['Unauthorized', T.UNAUTHORIZED, 401, 'UNAUTHENTICATED', 'A valid bearer token is required.'],
      ['ExpiredToken', T.EXPIRED_TOKEN, 401, 'UNAUTHENTICATED', 'The token has expired.'],
      ['AccessDenied', T.ACCESS_DENIED, 403, 'FORBIDDEN'],
      ['WafFiltered', T.WAF_FILTERED, 403, 'FORBIDDEN', 'The request was refused by the firewall.'],
      ['UnknownRoute', T.MISSING_AUTHENTICATION_TOKEN, 404, 'ROUTE_NOT_FOUND', 'No such route.'],
      ['NotFound', T.RESOURCE_NOT_FOUND, 404, 'ROUTE_NOT_FOUND', 'No such route.'],
      ['TooLarge', T.REQUEST_TOO_LARGE, 413, 'BODY_TOO_LARGE'],
      ['MediaType', T.UNSUPPORTED_MEDIA_TYPE, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['Throttled', T.THROTTLED, 429, 'RATE_LIMITED', 'Too many requests; retry shortly.'],
      ['QuotaExceeded', T.QUOTA_EXCEEDED, 429, 'RATE_LIMITED', 'Too many requests; retry later.'],
      ['IntegrationFailure', T.INTEGRATION_FAILURE, 502, 'INTERNAL_ERROR'],
      [
        'IntegrationTimeout',
        T.INTEGRATION_TIMEOUT,
        504,
        'INTERNAL_ERROR',
        'The request took too long.',
      ],
      ['Default4xx', T.DEFAULT_4XX, 400, 'BAD_REQUEST'],
      ['Default5xx', T.DEFAULT_5XX, 500, 'INTERNAL_ERROR'],
    ];
    for (const [id, type, status, code, detail] of answers) {
      // API Gateway's own message (a JSON string) where no fixed one is better.
      const body = problem(status, code, detail ?? '@MESSAGE@', { instance: '$context.path' });
      const template = JSON.stringify(body).replace('"@MESSAGE@"', '$context.error.messageString');
      this.api.addGatewayResponse(id, {
        type,
        statusCode: String(status),
        responseHeaders: {
          ...common,
          ...(status === 401 ? { 'WWW-Authenticate': `'Bearer realm="${AUTH_REALM}"'` } : {}),
          ...(status === 429 ? { 'Retry-After': "'1'" } : {}),
        },
        templates: { 'application/json': template },
      });
    }
  }
}
