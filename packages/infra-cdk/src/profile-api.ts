import { CORS_POLICY } from '@userprofile/adapters-http/cors-policy';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';
import type { ProfileFunctions } from './profile-functions';

/**
 * The seeds' REST API: regional, `/users` and `/users/{userId}` with Lambda proxy integrations,
 * CORS preflight, a stage named after the environment with execution and JSON access logs,
 * metrics, X-Ray and throttling.
 */
export class ProfileApi extends Construct {
  public readonly api: apigateway.RestApi;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig, fns: ProfileFunctions) {
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

    const validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integrate = (fn: ProfileFunctions['functions'][keyof ProfileFunctions['functions']]) =>
      new apigateway.LambdaIntegration(fn, { proxy: true });
    const withId = {
      requestValidator: validator,
      requestParameters: { 'method.request.path.userId': true },
    };

    const users = this.api.root.addResource('users');
    users.addMethod('POST', integrate(fns.functions.create), { requestValidator: validator });
    users.addMethod('GET', integrate(fns.functions.list), { requestValidator: validator });
    const user = users.addResource('{userId}');
    user.addMethod('GET', integrate(fns.functions.get), withId);
    user.addMethod('PUT', integrate(fns.functions.update), withId);
    user.addMethod('PATCH', integrate(fns.functions.update), withId);
    user.addMethod('DELETE', integrate(fns.functions.delete), withId);

    for (const [rule, reason] of [
      [
        'AwsSolutions-APIG4',
        "Seed parity: the seeds' API is open. Cognito authentication replaces this acknowledgement in a later issue (#8).",
      ],
      [
        'AwsSolutions-COG4',
        "Seed parity: the seeds' API is open. Cognito authentication replaces this acknowledgement in a later issue (#8).",
      ],
      [
        'AwsSolutions-APIG3',
        'No WAF yet: API Gateway throttling (rate and burst from configuration) bounds abuse; a WAF web ACL costs extra per month and is a deployment choice.',
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
