import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { notifyingAlarm } from './alarm-topic';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { join } from 'node:path';
import {
  EVENT_STORE_ACCESS,
  WEBHOOK_REGISTRY_ACCESS,
  type EventTableAccess,
} from '@userprofile/adapters-dynamo/event-access';
import { EVENT_TABLE as DEF } from '@userprofile/adapters-dynamo/event-table-definition';
import { EVENT_ROUTES, type RouteDeclaration } from '@userprofile/adapters-http/routes';
import type { UserProfileStackConfig } from './config';
import { LAMBDA_MEMORY_MB } from './memory-size';
import {
  BUNDLE_OPTIONS,
  HTTP_PACKAGE,
  appLambdaBundle,
  NODE_FLAGS_WRAPPER,
  bundlingFor,
  codeCacheCommands,
  functionEnvironment,
} from './app-bundle';
import { keptUnlessDestroyed } from './removal';
import type { ServiceEnvironment } from '@userprofile/adapters-http/environment';

/**
 * What the feed routes may do to the event table: the union of what their event store and
 * webhook registry methods declare (`EVENT_STORE_ACCESS`, `WEBHOOK_REGISTRY_ACCESS`).
 */
export function feedRoutesAccess(): EventTableAccess[] {
  const all = Object.values(EVENT_ROUTES).flatMap((route: RouteDeclaration) => [
    ...(route.events ?? []).flatMap((m) => EVENT_STORE_ACCESS[m]),
    ...(route.webhooks ?? []).flatMap((m) => WEBHOOK_REGISTRY_ACCESS[m]),
  ]);
  const key = (a: EventTableAccess) => `${a.on} ${a.action}`;
  return [...new Map(all.map((a) => [key(a), a])).values()].sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
}

/** What the feed function needs from the stack. */
export interface FeedApiParts {
  readonly eventTable: dynamodb.ITable;
  /** The profile table: named in `TABLE_NAME` (the app's configuration), never granted. */
  readonly table: dynamodb.ITable;
  readonly api: apigateway.RestApi;
  /** The method options of the API's other routes (its Cognito authorizer, or none when open). */
  readonly methodOptions: apigateway.MethodOptions;
  /** The app's authentication settings, as the profile functions have them. */
  readonly authEnvironment: ServiceEnvironment;
  readonly photosUrl: string;
  readonly alarmTopic: sns.ITopic;
}

/**
 * The feed, history and webhook administration routes in AWS: the profile functions' bundle (the
 * same app, ADR 0005) with `EVENT_TABLE_NAME` set, so it registers `EVENT_ROUTES`; its role may
 * do exactly what those routes' store methods declare, on the event table only.
 */
export class FeedApiFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, config: UserProfileStackConfig, parts: FeedApiParts) {
    super(scope, id);
    const functionName = `userprofile-${config.environment}-change-feed-api`;
    const logGroup = new logs.LogGroup(this, 'logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: keptUnlessDestroyed(config),
    });
    const access = feedRoutesAccess();
    const role = new iam.Role(this, 'role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: logs, traces, ${access.map((a) => `${a.action.slice('dynamodb:'.length)} on the event ${a.on === 'table' ? 'table' : 'feed index'}`).join(', ')}`,
    });
    logGroup.grantWrite(role);
    const resources = {
      table: [parts.eventTable.tableArn],
      feedIndex: [`${parts.eventTable.tableArn}/index/${DEF.feedIndex.indexName}`],
    };
    for (const on of ['table', 'feedIndex'] as const) {
      const onIt = access.filter((a) => a.on === on).map((a) => a.action);
      if (onIt.length > 0) {
        role.addToPolicy(new iam.PolicyStatement({ actions: onIt, resources: resources[on] }));
      }
    }
    this.function = new NodejsFunction(this, 'function', {
      functionName,
      entry: join(HTTP_PACKAGE, 'src/lambda.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      ...(config.runtimeVersionArn
        ? { runtimeManagementMode: lambda.RuntimeManagementMode.manual(config.runtimeVersionArn) }
        : {}),
      architecture: lambda.Architecture.ARM_64,
      memorySize: LAMBDA_MEMORY_MB,
      // A registration resolves the endpoint's name (the SSRF check): a few seconds at most.
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: functionEnvironment({
        TABLE_NAME: parts.table.tableName,
        EVENT_TABLE_NAME: parts.eventTable.tableName,
        ENVIRONMENT: config.environment,
        CORS_ORIGINS: config.corsOrigins === '*' ? '*' : config.corsOrigins.join(','),
        LOG_LEVEL: 'info',
        PHOTOS_URL: parts.photosUrl,
        ...parts.authEnvironment,
      }),
      depsLockFilePath: join(HTTP_PACKAGE, '../../pnpm-lock.yaml'),
      // The profile functions' asset, byte for byte (one asset in the assembly).
      bundling: bundlingFor(appLambdaBundle(config), (output) => [
        `node "${BUNDLE_OPTIONS.EAGER_MODULE_WRAPPERS}" "${output}/index.js"`,
        `cp "${join(HTTP_PACKAGE, NODE_FLAGS_WRAPPER)}" "${output}/${NODE_FLAGS_WRAPPER}"`,
        `chmod 755 "${output}/${NODE_FLAGS_WRAPPER}"`,
        ...(config.codeCacheImage ? codeCacheCommands(config.codeCacheImage, output) : []),
      ]),
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permission.',
    });
    const integration = new apigateway.LambdaIntegration(this.function, { proxy: true });
    for (const { method, path } of Object.values(EVENT_ROUTES)) {
      parts.api.root.resourceForPath(path).addMethod(method, integration, parts.methodOptions);
    }
    this.alarmOn(config, parts.alarmTopic);
  }

  /** As each profile function: failed and throttled invocations. */
  private alarmOn(config: UserProfileStackConfig, topic: sns.ITopic): void {
    const period = Duration.minutes(5);
    const metrics = {
      errors: this.function.metricErrors({ period, statistic: 'Sum' }),
      throttles: this.function.metricThrottles({ period, statistic: 'Sum' }),
    };
    for (const [name, metric] of Object.entries(metrics)) {
      this.alarms.push(
        notifyingAlarm(this, name, topic, {
          alarmName: `userprofile-${config.environment}-change-feed-api-${name}`,
          alarmDescription: `The feed, history and webhook routes' function: invocations ${name === 'errors' ? 'failed' : 'were throttled'}.`,
          metric,
          threshold: 1,
        }),
      );
    }
  }
}
