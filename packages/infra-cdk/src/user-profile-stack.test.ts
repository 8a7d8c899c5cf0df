import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveConfig } from './config';
import { synthStack } from './testing';
import { UserProfileStack } from './user-profile-stack';
import { ROUTES } from '@userprofile/adapters-http/routes';
import { OPERATIONS } from './profile-functions';
import { chosenMemory, LAMBDA_MEMORY_MB, type MemorySizes } from './memory-size';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { template } = synthStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (t: Template, type: string) =>
  Object.entries(t.findResources(type)) as [string, Resource][];

/** The IAM statements of the role of the function named `userprofile-dev-<name>`. */
function statementsOf(
  t: Template,
  name: string,
): { Action: string | string[]; Resource: unknown }[] {
  const [, fn] = resources(t, 'AWS::Lambda::Function').find(
    ([, f]) => f.Properties.FunctionName === `userprofile-dev-${name}`,
  )!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return resources(t, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(
      ([, p]) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
}
const actionsOf = (t: Template, name: string) =>
  statementsOf(t, name)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((a) => a.startsWith('dynamodb:'))
    .sort();

describe('the table', () => {
  it('comes from the shared definition: userId key, sharded CreatedAtIndex, stream, PITR, SSE, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      // Kept on delete and replacement, removed when the first deployment rolls back.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'UserProfiles-dev',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'CreatedAtIndex',
            KeySchema: [
              { AttributeName: 'listShard', KeyType: 'HASH' },
              { AttributeName: 'listKey', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
          // Administrators' search (ADR 0021).
          Match.objectLike({
            IndexName: 'SearchIndex',
            KeySchema: [
              { AttributeName: 'searchKey', KeyType: 'HASH' },
              { AttributeName: 'listKey', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        Tags: Match.arrayWith([
          { Key: 'Environment', Value: 'dev' },
          { Key: 'Service', Value: 'UserProfile' },
        ]),
      }),
    });
  });

  it('is on demand by default; provisioned, it auto scales table and both indexes, 2-20 at 70 %', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    const provisioned = synthStack({ billingMode: 'provisioned' }).template;
    provisioned.hasResourceProperties('AWS::DynamoDB::Table', {
      // No BillingMode: CloudFormation's default, PROVISIONED, with this throughput.
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    const targets = resources(provisioned, 'AWS::ApplicationAutoScaling::ScalableTarget').map(
      ([, r]) => r.Properties,
    );
    expect(targets.map((t) => t.ScalableDimension).sort()).toEqual([
      'dynamodb:index:ReadCapacityUnits',
      'dynamodb:index:ReadCapacityUnits',
      'dynamodb:index:WriteCapacityUnits',
      'dynamodb:index:WriteCapacityUnits',
      'dynamodb:table:ReadCapacityUnits',
      'dynamodb:table:WriteCapacityUnits',
    ]);
    for (const t of targets) expect(t).toMatchObject({ MinCapacity: 2, MaxCapacity: 20 });
    const policies = resources(provisioned, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, r]) => r.Properties,
    );
    expect(policies).toHaveLength(6);
    for (const p of policies)
      expect(p).toMatchObject({ TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } });
  });

  it('can be on-demand, without scaling, and destroyed with the stack when asked', () => {
    const { template: t } = synthStack({ billingMode: 'on-demand', removalPolicy: 'destroy' });
    t.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ BillingMode: 'PAY_PER_REQUEST' }),
    });
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

/**
 * One of the profile API's functions: not the daily photo sweep, which serves no request, nor the
 * change feed's (change-feed.test.ts).
 */
const isApiFunction = (name: unknown) =>
  String(name).startsWith('userprofile-') &&
  !String(name).endsWith('-photo-sweep') &&
  !String(name).includes('-change-feed');

/** The Node.js major the project runs on everywhere (.nvmrc, scripts/lib.sh): Lambda's too. */
const lambdaNodeMajor = readFileSync(join(__dirname, '../../../.nvmrc'), 'utf8').split('.')[0];

describe('the functions', () => {
  // The API's functions; the deploy-time JWKS fetcher, CDK's provider framework and the daily
  // photo sweep (profile-photos.test.ts) aside.
  const fns = resources(template, 'AWS::Lambda::Function')
    .map(([, f]) => f.Properties)
    .filter((f) => isApiFunction(f.FunctionName));

  it('are one per operation, as the seeds, and one for photos: ARM64, latest Node.js, 512 MB (a vCPU for images), under the 29 s limit, traced', () => {
    expect(fns.map((f) => f.FunctionName).sort()).toEqual(
      ['create-user', 'delete-user', 'get-user', 'list-users', 'update-user', 'user-photo'].map(
        (n) => `userprofile-dev-${n}`,
      ),
    );
    for (const f of fns) {
      const images = f.FunctionName === 'userprofile-dev-user-photo';
      expect(f).toMatchObject({
        Runtime: `nodejs${lambdaNodeMajor}.x`,
        Architectures: ['arm64'],
        MemorySize: images ? 1769 : 512,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
      });
      expect(f.Timeout).toBeLessThan(29);
      expect(f.Environment).toMatchObject({
        Variables: { TABLE_NAME: { Ref: expect.any(String) }, ENVIRONMENT: 'dev' },
      });
      expect(f.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
    }
  });

  it('each log to a group of their own, named by CloudFormation, with the configured retention', () => {
    const groups = new Map(resources(template, 'AWS::Logs::LogGroup'));
    const api = resources(template, 'AWS::Lambda::Function').filter(([, f]) =>
      String(f.Properties.FunctionName).startsWith('userprofile-'),
    );
    // The API's six, the photo sweep, the change feed's stream function and its routes' function.
    expect(api).toHaveLength(9);
    for (const [, fn] of api) {
      const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const group = groups.get(ref);
      expect(group?.Properties).toMatchObject({ RetentionInDays: 7 });
      // No fixed name: a group kept after the stack never collides with a redeployment's.
      expect(group?.Properties.LogGroupName).toBeUndefined();
      expect(group).toMatchObject({
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    }
    const { template: t } = synthStack({ logRetentionDays: '30' });
    expect(
      resources(t, 'AWS::Logs::LogGroup').filter(([, g]) => g.Properties.RetentionInDays === 30),
    ).toHaveLength(14); // nine functions, access and execution logs, the JWKS fetcher and provider, the console's deployment
  });

  it('serve every route of the app, each route from one function', () => {
    const served = Object.values(OPERATIONS).flatMap((o) => [...o.routes]);
    expect([...served].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('are granted only the table actions their routes use; the list function cannot write', () => {
    // Derived from ROUTES and REPOSITORY_ACCESS; proven against DynamoDB under these very
    // policies by artifact.int.test.ts. Idempotent creates read their record first; a read
    // never writes (#25), so the get function cannot either.
    expect(actionsOf(template, 'create-user')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    // Public profiles are read in batches: BatchGetItem, never a Query or Scan.
    expect(actionsOf(template, 'get-user')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem']);
    // The search reads a page's profiles and their suspensions in batches.
    expect(actionsOf(template, 'list-users')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actionsOf(template, 'update-user')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOf(template, 'delete-user')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOf(template, 'user-photo')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    // Query on the two indexes, never on the table itself.
    const queried = statementsOf(template, 'list-users')
      .filter((s) => JSON.stringify(s.Action).includes('dynamodb:Query'))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
      .map((r) => JSON.stringify(r));
    expect(queried).toHaveLength(2);
    expect(queried.map((r) => r.match(/\/index\/(\w+)/)?.[1]).sort()).toEqual([
      'CreatedAtIndex',
      'SearchIndex',
    ]);
  });

  it('are pinned to a runtime version only when their assets carry a code cache', () => {
    const arn = `arn:aws:lambda:us-east-1::runtime:${'b2'.repeat(32)}`;
    const pinned = synthStack({
      codeCacheImage: 'public.ecr.aws/lambda/nodejs:24-arm64',
      runtimeVersionArn: arn,
    }).template;
    // The API's functions, whose assets carry the cache (the daily sweep's cold start is no matter).
    const functions = Object.values(pinned.findResources('AWS::Lambda::Function')).filter((f) =>
      isApiFunction(f.Properties.FunctionName),
    );
    expect(functions).toHaveLength(6);
    for (const fn of functions) {
      expect(fn.Properties.RuntimeManagementConfig).toEqual({
        UpdateRuntimeOn: 'Manual',
        RuntimeVersionArn: arn,
      });
    }
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      if (!String(fn.Properties.FunctionName).startsWith('userprofile-')) continue;
      expect(fn.Properties.RuntimeManagementConfig).toBeUndefined();
    }
  });

  it('may read no SSM parameter: no code that runs in them reads one', () => {
    for (const name of ['create-user', 'get-user', 'list-users', 'update-user', 'delete-user']) {
      const actions = statementsOf(template, name).flatMap((s) =>
        ([] as string[]).concat(s.Action),
      );
      expect(actions.filter((a) => a.startsWith('dynamodb:')).length).toBeGreaterThan(0);
      expect([name, actions.filter((a) => a.startsWith('ssm:'))]).toEqual([name, []]);
    }
  });
});

describe('the memory size', () => {
  it('is the cheapest that met the latency target when last measured (pnpm bench:memory)', () => {
    const measured = JSON.parse(
      readFileSync(join(__dirname, '../../../bench/results/memory-sizes.json'), 'utf8'),
    ) as MemorySizes;
    expect(measured.rows.length).toBeGreaterThanOrEqual(4);
    expect(chosenMemory(measured)?.memoryMb).toBe(LAMBDA_MEMORY_MB);
  });
});

describe('the API', () => {
  it('is a regional REST API with /users, /users/{userId}, its /photo and suspension on Lambda proxy integrations', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'userprofile-dev',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const paths = resources(template, 'AWS::ApiGateway::Resource')
      .map(([, r]) => r.Properties.PathPart)
      .sort();
    expect(paths).toEqual([
      'disable',
      'enable',
      'events',
      'history',
      'photo',
      'public',
      'public',
      'rotate-secret',
      'search',
      'suspension',
      'suspensions',
      'users',
      'webhooks',
      '{userId}',
      '{webhookId}',
    ]);
    const methods = resources(template, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const count = (method: string) => methods.filter((m) => m.HttpMethod === method).length;
    // The profile routes (search among them), then the change feed's (events, history, webhook
    // administration).
    expect(['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map(count)).toEqual([
      3 + 1,
      6 + 3,
      9 + 7,
      1,
      2 + 4,
      3,
    ]);
    expect(methods).toHaveLength(39);
    for (const m of methods.filter((x) => x.HttpMethod !== 'OPTIONS')) {
      expect(m.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    }
  });

  it('leaves request validation to the app: no API Gateway validator that would check nothing', () => {
    template.resourceCountIs('AWS::ApiGateway::RequestValidator', 0);
    template.resourceCountIs('AWS::ApiGateway::Model', 0);
    for (const [, m] of resources(template, 'AWS::ApiGateway::Method')) {
      expect(m.Properties.RequestValidatorId).toBeUndefined();
    }
  });

  it('has a stage named after the environment with logs, metrics, tracing and throttling', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('"requestId"') }),
      MethodSettings: [
        Match.objectLike({
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 1000,
          ThrottlingBurstLimit: 2000,
        }),
      ],
    });
    // The account-wide logging role is the account stack's, never an environment's.
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    for (const field of [
      'authorizerError',
      'integrationError',
      'integrationLatency',
      'wafStatus',
    ]) {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp(`"${field}"`) }),
      });
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', Match.anyValue(), '/dev']] },
      RetentionInDays: 7,
    });
    const { template: t } = synthStack({
      throttleRateLimit: '50',
      throttleBurstLimit: '100',
      environment: 'staging',
    });
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'staging',
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
  });

  it('answers CORS preflight on every path', () => {
    const options = resources(template, 'AWS::ApiGateway::Method').filter(
      ([, m]) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options).toHaveLength(16);
    expect(JSON.stringify(options)).toContain("'GET,POST,PUT,PATCH,DELETE,OPTIONS'");
  });
});

describe('parameters, alarms, dashboard and outputs', () => {
  it('publishes table name, API endpoint and environment under /userprofile/<environment>/', () => {
    const names = resources(template, 'AWS::SSM::Parameter')
      .map(([, p]) => p.Properties.Name)
      .sort();
    expect(names).toEqual([
      '/userprofile/dev/api-endpoint',
      '/userprofile/dev/environment',
      '/userprofile/dev/table-name',
    ]);
  });

  const alarms = resources(template, 'AWS::CloudWatch::Alarm').map(
    ([, a]) => a.Properties as Record<string, unknown> & { AlarmName: string },
  );
  const alarm = (name: string) => alarms.find((a) => a.AlarmName === `userprofile-dev-${name}`)!;

  it('notifies an encrypted SNS topic from every alarm, and e-mails it when configured', () => {
    // 4 table, 3 for each of 6 functions, account concurrency, 4 API, WAF, deliveries, sweep;
    // the change feed's iterator age, its routes' function's errors and throttles.
    expect(alarms).toHaveLength(33);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
      expect(a.OKActions).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('watches DynamoDB throttles and system errors per operation, where DynamoDB publishes them', () => {
    const metricsOf = (a: Record<string, unknown>) =>
      (
        a.Metrics as {
          MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string }[] } };
        }[]
      )
        .filter((m) => m.MetricStat)
        .map((m) => m.MetricStat!.Metric);
    for (const [name, metricName] of [
      ['dynamodb-throttled-requests', 'ThrottledRequests'],
      ['dynamodb-system-errors', 'SystemErrors'],
    ] as const) {
      const metrics = metricsOf(alarm(name));
      expect(metrics.length).toBeGreaterThanOrEqual(5);
      for (const m of metrics) {
        expect(m.MetricName).toBe(metricName);
        expect(m.Dimensions.map((d) => d.Name).sort()).toEqual(['Operation', 'TableName']);
      }
    }
    const reads = metricsOf(alarm('dynamodb-read-throttles'));
    expect(reads.map((m) => m.MetricName)).toEqual(['ReadThrottleEvents', 'ReadThrottleEvents']);
    expect(reads.map((m) => m.Dimensions.map((d) => d.Name).sort())).toEqual([
      ['TableName'],
      ['GlobalSecondaryIndexName', 'TableName'],
    ]);
    expect(metricsOf(alarm('dynamodb-write-throttles')).map((m) => m.MetricName)).toEqual([
      'WriteThrottleEvents',
      'WriteThrottleEvents',
    ]);
  });

  it("watches errors and throttles of each function, and the API's 4XX rate, 5XX rate and p99 latency", () => {
    for (const op of ['create', 'get', 'list', 'update', 'delete']) {
      expect(alarm(`${op}-errors`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.any(String) } }],
      });
      expect(alarm(`${op}-throttles`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
      });
    }
    const apiDims = [
      { Name: 'ApiName', Value: 'userprofile-dev' },
      { Name: 'Stage', Value: expect.anything() },
    ];
    expect(alarm('api-4xx-rate')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '4XXError',
      Statistic: 'Average',
      Threshold: 0.1,
      Dimensions: apiDims,
    });
    const rate = alarm('api-5xx-rate').Metrics as {
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
    }[];
    expect(rate.find((m) => m.Expression)?.Expression).toMatch(/FILL\(errors, 0\) \/ requests/);
    expect(rate.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))).toEqual([
      { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: apiDims },
      { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: apiDims },
    ]);
    expect(alarm('api-latency-p99')).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Dimensions: apiDims,
    });
  });

  it('draws API, Lambda and DynamoDB figures on one dashboard', () => {
    const dashboard = resources(template, 'AWS::CloudWatch::Dashboard')[0]?.[1];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'Count',
      '4XXError',
      '5XXError',
      'p50',
      'p99',
      'Invocations',
      'Errors',
      'Duration',
      'Throttles',
      'ConcurrentExecutions',
      'ConsumedReadCapacityUnits',
      'ProvisionedReadCapacityUnits',
      'ConsumedWriteCapacityUnits',
      'ProvisionedWriteCapacityUnits',
      'ThrottledRequests',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it("exports the seeds' outputs", () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiEndpoint',
        'CreateFunctionArn',
        'DeleteFunctionArn',
        'Environment',
        'GetFunctionArn',
        'ListFunctionArn',
        'TableArn',
        'TableName',
        'UpdateFunctionArn',
      ]),
    );
    expect(outputs.TableName?.Export).toEqual({ Name: 'UserProfile-test-TableName' });
  });

  it('names everything after the environment, so two environments share an account', () => {
    const prod = JSON.stringify(synthStack({ environment: 'prod' }).template.toJSON());
    expect(prod).toContain('UserProfiles-prod');
    expect(prod).toContain('userprofile-prod-get-user');
    expect(prod).not.toMatch(/UserProfiles-dev|userprofile-dev/);
    expect(prod).not.toMatch(/\b\d{12}\b/); // no account id
  });
});

describe('AWS Solutions checks (cdk-nag)', () => {
  it('pass with every acknowledgement given in code with a reason', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new UserProfileStack(app, 'UserProfile-nag', {
      config: resolveConfig({ alarmEmail: 'ops@example.com' }),
    });
    // And the other shapes #27 added: an HTTPS subscriber, per-origin WAF answers, SES by domain.
    new UserProfileStack(app, 'UserProfile-nag-variants', {
      config: resolveConfig({
        environment: 'variants',
        alarmEndpoint: 'https://chat.example.com/hooks/1',
        corsOrigins: 'https://a.example.com,https://b.example.com',
        emailFrom: 'no-reply@example.com',
        emailIdentity: 'example.com',
      }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('do fail a stack with a finding (the check is live)', () => {
    const app = new App();
    new sns.Topic(new Stack(app, 'Bad'), 'PlainTopic');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });
});
