import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONFIG_KEYS } from './config';

const packageDir = join(__dirname, '..');
const run = promisify(execFile);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

/** `pnpm synth -c key=value ...` as a user types it (the CDK CLI, offline); the template it writes. */
async function synth(settings: Record<string, string>, stack: string, region = 'us-east-1') {
  const out = mkdtempSync(join(tmpdir(), 'cdk-cli-'));
  try {
    const context = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    await run('pnpm', ['run', '--silent', 'synth', '-o', out, ...context], {
      cwd: packageDir,
      // The region a deployer's AWS configuration names; no credentials, no network.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', AWS_REGION: region },
    });
    const template = JSON.parse(readFileSync(join(out, `${stack}.template.json`), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const all = Object.values(template.Resources);
    const ofType = (type: string) => all.filter((r) => r.Type === type);
    // The API's functions, the change feed's routes' included (the daily photo sweep and the
    // stream function and the webhook dispatcher serve no request and verify no token).
    const functionEnv = ofType('AWS::Lambda::Function')
      .filter((f) => String(f.Properties.FunctionName).startsWith('userprofile-'))
      .filter(
        (f) =>
          !/-(photo-sweep|change-feed|change-feed-webhooks)$/.test(
            String(f.Properties.FunctionName),
          ),
      )
      .map((f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
    return { template, ofType, functionEnv };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('the CDK app entry, run by the CLI', () => {
  it('honours every documented setting: an imported user pool with its admin group, and the rest', async () => {
    const settings = {
      environment: 'qa',
      billingMode: 'on-demand',
      logRetentionDays: '30',
      throttleRateLimit: '500',
      throttleBurstLimit: '900',
      alarmEmail: 'ops@example.com',
      corsOrigins: 'https://app.example.com',
      removalPolicy: 'destroy',
      authMode: 'jwt',
      userPoolId: 'eu-west-1_AbCdEf123',
      adminGroup: 'ops',
      wafRequestsPerIp: '1200',
      wafWritesPerToken: '30',
      reservedConcurrency: 'get=120,photo=20',
      accountConcurrency: '2000',
    };
    const { ofType, functionEnv } = await synth(settings, 'UserProfile-qa', 'eu-west-1');

    const [table] = ofType('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      TableName: 'UserProfiles-qa',
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(table?.DeletionPolicy).toBe('Delete');
    expect(ofType('AWS::ApplicationAutoScaling::ScalableTarget')).toHaveLength(0);
    for (const group of ofType('AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays).toBe(30);
    }
    expect(ofType('AWS::ApiGateway::Stage')[0]?.Properties.MethodSettings).toEqual([
      expect.objectContaining({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 900 }),
    ]);
    expect(ofType('AWS::SNS::Subscription')[0]?.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const reserved = ofType('AWS::Lambda::Function')
      .map((f) => [f.Properties.FunctionName, f.Properties.ReservedConcurrentExecutions])
      .filter(([name]) => /-(get-user|user-photo|list-users)$/.test(String(name)));
    expect(Object.fromEntries(reserved)).toEqual({
      'userprofile-qa-get-user': 120,
      'userprofile-qa-list-users': 50,
      'userprofile-qa-user-photo': 20,
    });
    const concurrency = ofType('AWS::CloudWatch::Alarm').find(
      (a) => a.Properties.AlarmName === 'userprofile-qa-account-concurrency',
    );
    expect(concurrency?.Properties.Threshold).toBe(1600);

    // The imported pool: none made, its issuer trusted, `ops` the admin group.
    expect(ofType('AWS::Cognito::UserPool')).toHaveLength(0);
    expect(ofType('AWS::Cognito::UserPoolGroup')).toHaveLength(0);
    expect(functionEnv).toHaveLength(7);
    for (const env of functionEnv) {
      expect(env).toMatchObject({
        ENVIRONMENT: 'qa',
        CORS_ORIGINS: 'https://app.example.com',
        AUTH_MODE: 'jwt',
        AUTH_ADMIN_GROUP: 'ops',
      });
      expect(JSON.stringify(env.AUTH_ISSUER)).toContain(
        'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      );
    }
    expect(JSON.stringify(ofType('AWS::ApiGateway::Authorizer')[0]?.Properties)).toContain(
      'userpool/eu-west-1_AbCdEf123',
    );
    const rules = ofType('AWS::WAFv2::WebACL')[0]?.Properties.Rules as {
      Statement: { RateBasedStatement?: { Limit: number } };
    }[];
    expect(rules.flatMap((r) => r.Statement.RateBasedStatement?.Limit ?? [])).toEqual([1200, 30]);
  }, 120_000);

  it('deploys the open API with authMode=none, and provisioned capacity as set', async () => {
    const { ofType, functionEnv } = await synth(
      {
        authMode: 'none',
        billingMode: 'provisioned',
        readCapacity: '3',
        writeCapacity: '4',
        minCapacity: '5',
        maxCapacity: '50',
        waf: 'false',
        alarmEndpoint: 'https://chat.example.com/hooks/ops',
      },
      'UserProfile-dev',
    );
    expect(ofType('AWS::WAFv2::WebACL')).toHaveLength(0);
    expect(ofType('AWS::SNS::Subscription')[0]?.Properties).toMatchObject({
      Protocol: 'https',
      Endpoint: 'https://chat.example.com/hooks/ops',
    });
    expect(functionEnv.map((env) => env.AUTH_MODE)).toEqual(Array(7).fill('none'));
    expect(ofType('AWS::Cognito::UserPool')).toHaveLength(0);
    expect(ofType('AWS::ApiGateway::Authorizer')).toHaveLength(0);
    expect(ofType('AWS::DynamoDB::Table')[0]?.Properties.ProvisionedThroughput).toEqual({
      ReadCapacityUnits: 3,
      WriteCapacityUnits: 4,
    });
    const targets = ofType('AWS::ApplicationAutoScaling::ScalableTarget');
    // The profile table and CreatedAtIndex, read and write each; the search table is on demand.
    expect(targets).toHaveLength(4);
    const search = ofType('AWS::DynamoDB::Table').find((t) =>
      String(t.Properties.TableName).startsWith('UserProfileSearch-'),
    );
    expect(search?.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST' });
    for (const target of targets) {
      expect(target.Properties).toMatchObject({ MinCapacity: 5, MaxCapacity: 50 });
    }
  }, 120_000);

  it('stops at a key that is no setting, naming it and listing the settings', async () => {
    const failure = await synth({ authMod: 'none' }, 'UserProfile-dev').then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );
    expect(failure?.stderr).toContain('unknown setting "authMod"');
    expect(failure?.stderr).toContain(`the settings are: ${CONFIG_KEYS.join(', ')}`);
  }, 120_000);
});
