import { securityHeaderValues } from '@userprofile/adapters-http/security-headers';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiGatewayAccountStack } from './api-gateway-account';
import { CDK_JSON_CONTEXT, synthStack } from './testing';

/**
 * What no synth-time check of the seeds could see: each breaks or degrades a deployed stack
 * (alarms that reach no one, environments that break each other, redeploys that fail, API
 * Gateway's own answers off-contract, sign-up mail that stalls).
 */
const { template } = synthStack({ alarmEmail: 'ops@example.com' });
type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const all = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];

describe('alarms reach someone', () => {
  it("the alarm topic's policy lets this environment's alarms publish, and only them", () => {
    const [policy] = all(template, 'AWS::SNS::TopicPolicy');
    const statements = (
      policy!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', expect.arrayContaining([':alarm:userprofile-dev-*'])],
            },
          },
        },
      }),
    );
    // The SSL-only deny stays beside it.
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('sum alarms fill a series with no data, so one idle operation cannot silence them', () => {
    const sums = all(template, 'AWS::CloudWatch::Alarm').filter((a) =>
      /throttle|system-errors/.test(String(a.Properties.AlarmName)),
    );
    expect(sums.length).toBeGreaterThanOrEqual(4);
    for (const alarm of sums) {
      const metrics = alarm.Properties.Metrics as { Expression?: string }[] | undefined;
      const expression = metrics?.find((m) => m.Expression)?.Expression;
      if (String(alarm.Properties.AlarmName).includes('dynamodb')) {
        expect(expression).toMatch(/^FILL\(\w+, 0\)( \+ FILL\(\w+, 0\))+$/);
      }
    }
  });
});

describe('environments coexist, redeploys succeed', () => {
  it("no environment stack sets the account's API Gateway logging role", () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
  });

  it('the account stack sets it once, with a role that outlives the stack, cdk-nag clean', () => {
    const app = new App({ context: CDK_JSON_CONTEXT });
    const stack = new ApiGatewayAccountStack(app, 'UserProfile-ApiGatewayAccount');
    const account = Template.fromStack(stack);
    account.hasResource('AWS::ApiGateway::Account', {
      DeletionPolicy: 'Retain',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
    });
    account.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        }),
      }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('nothing is plainly Retain: kept data is removed when a first deployment rolls back', () => {
    const kept = Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(
      ([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete',
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const [id, r] of kept)
      expect([id, r.DeletionPolicy]).toEqual([id, 'RetainExceptOnCreate']);
    // Of the kept resources, only the tables have fixed names (their data is found by them).
    const named = kept.filter(([, r]) =>
      ['TableName', 'LogGroupName', 'KeyName'].some((k) => typeof r.Properties[k] === 'string'),
    );
    expect(named.map(([, r]) => r.Properties.TableName)).toEqual([
      'UserProfiles-dev',
      'UserProfileSearch-dev',
      'UserProfileEvents-dev',
    ]);
    const destroyed = synthStack({ removalPolicy: 'destroy' }).template.toJSON()
      .Resources as Record<string, Resource>;
    expect(Object.values(destroyed).filter((r) => r.DeletionPolicy?.startsWith('Retain'))).toEqual(
      [],
    );
  });

  it("carries CDK's recommended feature flags (authorizer changes redeploy the API)", () => {
    expect(CDK_JSON_CONTEXT['@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId']).toBe(
      true,
    );
    expect(Object.keys(CDK_JSON_CONTEXT).length).toBeGreaterThan(50);
  });
});

describe("API Gateway's own answers", () => {
  const responses = all(template, 'AWS::ApiGateway::GatewayResponse').map((r) => r.Properties);
  const of = (type: string) => responses.find((r) => r.ResponseType === type)!;

  it('cover the default 4xx and 5xx, the authorizer, throttling and unknown routes', () => {
    expect(responses.map((r) => r.ResponseType).sort()).toEqual(
      [
        'ACCESS_DENIED',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'EXPIRED_TOKEN',
        'INTEGRATION_FAILURE',
        'INTEGRATION_TIMEOUT',
        'MISSING_AUTHENTICATION_TOKEN',
        'QUOTA_EXCEEDED',
        'REQUEST_TOO_LARGE',
        'RESOURCE_NOT_FOUND',
        'THROTTLED',
        'UNAUTHORIZED',
        'UNSUPPORTED_MEDIA_TYPE',
        'WAF_FILTERED',
      ].sort(),
    );
  });

  it('are problem+json in the API shape, readable by browsers, with the security headers', () => {
    for (const r of responses) {
      const headers = r.ResponseParameters as Record<string, string>;
      expect(headers).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
        'gatewayresponse.header.Access-Control-Expose-Headers':
          expect.stringContaining('www-authenticate'),
      });
      // All but the content security policy, whose quotes a static value cannot hold.
      const expected = Object.entries(securityHeaderValues()).filter(([, v]) => !v.includes("'"));
      expect(expected.length).toBeGreaterThan(8);
      for (const [name, value] of expected) {
        expect(headers[`gatewayresponse.header.${name}`]).toBe(`'${value}'`);
      }
      const template = (r.ResponseTemplates as Record<string, string>)['application/json']!;
      // API Gateway fills $context values in; the rest is JSON as the app answers it.
      const body = JSON.parse(
        template.replace('$context.error.messageString', '"message"'),
      ) as Record<string, unknown>;
      expect(body).toMatchObject({
        type: expect.stringMatching(/^\/problems\//),
        title: expect.any(String),
        status: Number(r.StatusCode),
        detail: expect.any(String),
        code: expect.stringMatching(/^[A-Z_]+$/),
        instance: '$context.path',
      });
    }
  });

  it('challenge on 401, say when to retry on 429, and call an unknown route 404', () => {
    expect(of('UNAUTHORIZED')).toMatchObject({
      StatusCode: '401',
      ResponseParameters: expect.objectContaining({
        'gatewayresponse.header.WWW-Authenticate': `'Bearer realm="userprofile"'`,
      }),
    });
    expect(
      (of('THROTTLED').ResponseParameters as Record<string, string>)[
        'gatewayresponse.header.Retry-After'
      ],
    ).toBe("'1'");
    expect(of('MISSING_AUTHENTICATION_TOKEN').StatusCode).toBe('404');
    expect(
      JSON.parse(
        (of('THROTTLED').ResponseTemplates as Record<string, string>)['application/json']!,
      ),
    ).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('name one allowed origin, or answer the caller its own among several', () => {
    const one = synthStack({ corsOrigins: 'https://app.example.com' }).template;
    const [r] = all(one, 'AWS::ApiGateway::GatewayResponse');
    expect(
      (r!.Properties.ResponseParameters as Record<string, string>)[
        'gatewayresponse.header.Access-Control-Allow-Origin'
      ],
    ).toBe("'https://app.example.com'");
  });
});

describe('sign-up that works in production', () => {
  it("sends codes through SES from the configured address, else Cognito's own sender", () => {
    expect(all(template, 'AWS::Cognito::UserPool')[0]!.Properties.EmailConfiguration).toEqual({
      EmailSendingAccount: 'COGNITO_DEFAULT',
    });
    const ses = synthStack({ emailFrom: 'no-reply@example.com' }).template;
    expect(all(ses, 'AWS::Cognito::UserPool')[0]!.Properties.EmailConfiguration).toMatchObject({
      EmailSendingAccount: 'DEVELOPER',
      From: 'no-reply@example.com',
      SourceArn: {
        'Fn::Join': ['', expect.arrayContaining([':identity/no-reply@example.com'])],
      },
    });
    // A sender whose domain, not address, is verified in SES: the identity is the domain.
    const domain = synthStack({ emailFrom: 'no-reply@example.com', emailIdentity: 'example.com' });
    expect(
      all(domain.template, 'AWS::Cognito::UserPool')[0]!.Properties.EmailConfiguration,
    ).toMatchObject({
      From: 'no-reply@example.com',
      SourceArn: { 'Fn::Join': ['', expect.arrayContaining([':identity/example.com'])] },
    });
    expect(() => synthStack({ emailFrom: 'nope' })).toThrow(/emailFrom must be an e-mail address/);
    expect(() =>
      synthStack({ emailFrom: 'a@example.com', userPoolId: 'eu-west-1_AbCdEf123' }),
    ).toThrow(/emailFrom applies to the user pool the stack makes/);
  });

  it('gives the app client no OAuth flows: sign-in is SRP only', () => {
    const [client] = all(template, 'AWS::Cognito::UserPoolClient');
    expect(client!.Properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(client!.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client!.Properties.CallbackURLs).toBeUndefined();
  });
});
