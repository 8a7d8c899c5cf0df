import { CORS_POLICY } from '@userprofile/adapters-http/cors-policy';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import { OPERATIONS, type Operation, type ProfileFunctions } from './profile-functions';
import { ROUTES } from '@userprofile/adapters-http/routes';

/**
 * The seeds' REST API, signed in: every method but CORS preflight needs a Cognito ID token,
 * checked by a user-pool authorizer (and verified again by the app). Regional, `/users` and `/users/{userId}` with Lambda proxy integrations,
 * CORS preflight, a stage named after the environment with execution and JSON access logs,
 * metrics, X-Ray and throttling.
 */
export class ProfileApi extends Construct {
  public readonly api: apigateway.RestApi;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    fns: ProfileFunctions,
    /** The user pool whose tokens the API accepts; none for `authMode: 'none'` (an open API). */
    userPool?: cognito.IUserPool,
  ) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/userprofile-${config.environment}/access`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy:
        config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `userprofile-${config.environment}`,
      description: 'User-profile API',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: config.environment,
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // The seeds logged full request and response bodies: personal data in logs. Not here.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: config.throttleRateLimit,
        throttlingBurstLimit: config.throttleBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
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

    const signedIn: apigateway.MethodOptions = userPool
      ? {
          authorizationType: apigateway.AuthorizationType.COGNITO,
          authorizer: new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
            authorizerName: `userprofile-${config.environment}-cognito`,
            cognitoUserPools: [userPool],
            identitySource: apigateway.IdentitySource.header('Authorization'),
            resultsCacheTtl: Duration.minutes(5),
          }),
        }
      : {};
    // Each route of the app, to the function that serves it.
    const users = this.api.root.addResource('users');
    const user = users.addResource('{userId}');
    const resourceOf: Record<string, apigateway.Resource> = {
      '/users': users,
      '/users/{userId}': user,
    };
    for (const [operation, { routes }] of Object.entries(OPERATIONS) as [
      Operation,
      (typeof OPERATIONS)[Operation],
    ][]) {
      const integration = new apigateway.LambdaIntegration(fns.functions[operation], {
        proxy: true,
      });
      for (const id of routes) {
        const { method, path } = ROUTES[id];
        const resource = resourceOf[path];
        if (!resource) throw new Error(`no API resource for ${path}`);
        resource.addMethod(method, integration, signedIn);
      }
    }

    const open = userPool
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
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS provides for exactly this role.',
    });
  }
}
