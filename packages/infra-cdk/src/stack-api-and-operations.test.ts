import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveConfig } from './config';
import { synthStack } from './testing';
import { UserProfileStack } from './user-profile-stack';

// The stack's API, parameters, alarms, dashboard and outputs, and the AWS Solutions checks; its
// table and functions are in user-profile-stack.test.ts.
const { template } = synthStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (t: Template, type: string) =>
  Object.entries(t.findResources(type)) as [string, Resource][];

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
    // the change feed's iterator age, errors, near-timeout and failure queue, its routes'
    // function's errors and throttles; webhook delivery's endpoint failing, oldest delivery and
    // errors.
    expect(alarms).toHaveLength(39);
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
    // Each table and each index: the profile table and its list index, the search table and its
    // index (ADR 0025), whose throttling holds back the writes that carry search items.
    const tableOf = (d: { Name: string; Value: unknown }[]) =>
      /DataSearchTable/.test(JSON.stringify(d.find((x) => x.Name === 'TableName')?.Value))
        ? 'search table'
        : 'table';
    for (const kind of ['Read', 'Write']) {
      const metrics = metricsOf(alarm(`dynamodb-${kind.toLowerCase()}-throttles`));
      expect(metrics.map((m) => m.MetricName)).toEqual(Array(4).fill(`${kind}ThrottleEvents`));
      const dims = metrics.map(
        (m) => m.Dimensions as unknown as { Name: string; Value: unknown }[],
      );
      expect(
        dims.map((d) =>
          [tableOf(d), d.find((x) => x.Name === 'GlobalSecondaryIndexName')?.Value]
            .filter(Boolean)
            .join('/'),
        ),
      ).toEqual(['table', 'table/CreatedAtIndex', 'search table', 'search table/SearchIndex']);
    }
    // Throttled requests and system errors of each operation the service performs on each table.
    for (const name of ['dynamodb-throttled-requests', 'dynamodb-system-errors']) {
      const operations = metricsOf(alarm(name)).map((m) => {
        const d = m.Dimensions as unknown as { Name: string; Value: unknown }[];
        return `${tableOf(d)} ${String(d.find((x) => x.Name === 'Operation')?.Value)}`;
      });
      expect(operations.filter((o) => o.startsWith('search table'))).toEqual([
        'search table Query',
        'search table TransactWriteItems',
      ]);
      expect(operations.filter((o) => o.startsWith('table '))).toHaveLength(6);
    }
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
    // The search table's capacity and its index's, consumed only (it is on demand): the
    // dashboard's one SearchIndex is the search table's.
    const widgets = JSON.stringify(dashboard?.Properties.DashboardBody);
    expect(widgets).toMatch(/search table consumed writes\/s/);
    expect(widgets).toMatch(/SearchIndex consumed reads\/s/);
    expect(widgets).not.toMatch(/SearchIndex provisioned/);
    expect(widgets).toMatch(/search table: ThrottledRequests/);
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
