import { EVENT_ROUTES, ROUTES } from '@userprofile/adapters-http/routes';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { resolveConfig } from './config';
import { synthStack } from './testing';
import { UserProfileStack } from './user-profile-stack';

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];
/**
 * The environment of the API's functions, the change feed's routes' included (the daily photo
 * sweep and the stream function serve no request).
 */
const envOf = (t: Template) =>
  resources(t, 'AWS::Lambda::Function')
    .filter((f) => String(f.Properties.FunctionName).startsWith('userprofile-'))
    // Those that serve no HTTP request: the sweep, the stream function and the webhook dispatcher.
    .filter(
      (f) =>
        !/-(photo-sweep|change-feed|change-feed-webhooks)$/.test(String(f.Properties.FunctionName)),
    )
    .map((f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables);

/** Every rule acknowledged anywhere in the tree, as `Validations.acknowledge` records it. */
function acknowledgedRules(root: IConstruct): string {
  return JSON.stringify(
    root.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
  );
}

describe('sign-in with Cognito (the default)', () => {
  const { stack, template } = synthStack();

  it('makes a user pool with e-mail sign-in, a strong password policy and optional TOTP MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'userprofile-dev',
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      DeletionProtection: 'ACTIVE',
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'RetainExceptOnCreate' });
  });

  it('has an app client for a mobile app: no secret, SRP sign-in only, no user enumeration', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'userprofile-dev-mobile',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('has the admin group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    synthStack({ adminGroup: 'ops' }).template.hasResourceProperties(
      'AWS::Cognito::UserPoolGroup',
      { GroupName: 'ops' },
    );
  });

  it('guards every method but CORS preflight with a user-pool authorizer', () => {
    const [authorizer, ...more] = Object.keys(
      template.findResources('AWS::ApiGateway::Authorizer'),
    );
    expect(more).toEqual([]);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthUsers'), 'Arn'] }],
    });
    const methods = resources(template, 'AWS::ApiGateway::Method').map((m) => m.Properties);
    const guarded = methods.filter((m) => m.HttpMethod !== 'OPTIONS');
    // Every route of ROUTES and EVENT_ROUTES (23 now), health aside.
    expect(guarded).toHaveLength(Object.keys(ROUTES).length + Object.keys(EVENT_ROUTES).length);
    expect(guarded).toHaveLength(23);
    for (const m of guarded) {
      expect(m).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: authorizer },
      });
    }
    const preflight = methods.filter((m) => m.HttpMethod === 'OPTIONS');
    // One per resource: root, users, a user, photo, suspension, suspensions, both public ones,
    // search; events, history, webhooks, a webhook, and its rotate-secret, disable and enable.
    expect(preflight).toHaveLength(16);
    for (const m of preflight) expect(m.AuthorizationType).toBe('NONE');
  });

  it('has every function verify the same tokens again (defence in depth)', () => {
    const envs = envOf(template);
    expect(envs).toHaveLength(7);
    for (const env of envs) {
      expect(env).toMatchObject({
        AUTH_MODE: 'jwt',
        AUTH_ADMIN_GROUP: 'admin',
      });
      // The mobile app's client, and the admin console's.
      expect(env.AUTH_AUDIENCE).toEqual({
        'Fn::Join': [
          '',
          [
            { Ref: expect.stringMatching(/^AuthUsersMobileApp/) },
            ',',
            { Ref: expect.stringMatching(/^AuthUsersAdminConsole/) },
          ],
        ],
      });
      expect(JSON.stringify(env.AUTH_ISSUER)).toMatch(
        /https:\/\/cognito-idp\..*amazonaws\.com\/.*AuthUsers/,
      );
      expect(env).not.toHaveProperty('AUTH_DEV_KEYS');
      expect(env).not.toHaveProperty('AUTH_JWKS_URL');
    }
  });

  it('outputs the pool, the client and the issuer for the mobile app', () => {
    for (const id of ['UserPoolId', 'UserPoolClientId', 'TokenIssuer']) {
      template.hasOutput(id, { Export: { Name: `UserProfile-test-${id}` } });
    }
  });

  it('needs no acknowledgement of an open API from cdk-nag any more', () => {
    const rules = acknowledgedRules(stack);
    expect(rules).not.toContain('AwsSolutions-APIG4');
    expect(rules).not.toContain('AwsSolutions-COG4');
    expect(rules).toContain('AwsSolutions-COG2');
  });
});

describe('the keys of the pool', () => {
  it('are fetched at deploy time and handed to every function (AUTH_JWKS)', () => {
    const { template } = synthStack({});
    const [id, keys] =
      Object.entries(template.findResources('AWS::CloudFormation::CustomResource'))[0] ?? [];
    expect(JSON.stringify(keys?.Properties.JwksUrl)).toContain('/.well-known/jwks.json');
    for (const env of envOf(template)) {
      expect(env.AUTH_JWKS).toEqual({ 'Fn::GetAtt': [id, 'Jwks'] });
    }
  });
});

describe('an imported user pool', () => {
  const { template } = synthStack({ userPoolId: 'eu-west-1_AbCdEf123' });

  it('is used as it is: no pool or group made, the client added to it, its issuer trusted', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: 'eu-west-1_AbCdEf123',
    });
    for (const env of envOf(template)) {
      expect(JSON.stringify(env.AUTH_ISSUER)).toContain(
        'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      );
    }
  });

  it('must be in the region the stack deploys to, or the synth stops saying so', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new UserProfileStack(app, 'UserProfile-elsewhere', {
      config: resolveConfig({ userPoolId: 'eu-west-1_AbCdEf123' }),
      env: { account: '123456789012', region: 'us-east-1' },
    });
    // The CLI stops a synth with an error annotation, after printing it.
    Annotations.fromStack(stack).hasError(
      '*',
      Match.stringLikeRegexp(
        'userPoolId eu-west-1_AbCdEf123 is in eu-west-1, but the stack deploys to us-east-1',
      ),
    );
  });
});

describe('authMode=none', () => {
  it('deploys the open API of the seeds, acknowledged as a configuration choice, and nag passes', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new UserProfileStack(app, 'UserProfile-open', {
      config: resolveConfig({ authMode: 'none' }),
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    const rules = acknowledgedRules(stack);
    expect(rules).toContain('AwsSolutions-APIG4');
    expect(rules).toContain('authMode=none was chosen in configuration');
    const { template } = synthStack({ authMode: 'none' });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    for (const env of envOf(template)) expect(env.AUTH_MODE).toBe('none');
  });
});
