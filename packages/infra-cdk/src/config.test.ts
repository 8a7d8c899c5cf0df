import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_KEYS,
  DEFAULT_CONFIG,
  formatSetting,
  resolveConfig,
  StackConfigError,
} from './config';
import { BUNDLE_OPTIONS, bundlingFor } from './app-bundle';
import { synthStack } from './testing';

describe('stack configuration', () => {
  it('defaults to the seeds: dev, provisioned 1/1 scaling 2-20, 7-day logs, 1000/2000 throttling', () => {
    expect(resolveConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads context strings as the CLI passes them', () => {
    expect(
      resolveConfig({
        environment: 'prod',
        readCapacity: '5',
        billingMode: 'on-demand',
        logRetentionDays: '30',
        corsOrigins: 'https://a.example.com,https://b.example.com',
        alarmEmail: 'ops@example.com',
      }),
    ).toMatchObject({
      environment: 'prod',
      readCapacity: 5,
      billingMode: 'on-demand',
      logRetentionDays: 30,
      corsOrigins: ['https://a.example.com', 'https://b.example.com'],
      alarmEmail: 'ops@example.com',
    });
  });

  it('names every bad value at once', () => {
    let error: unknown;
    try {
      resolveConfig({
        environment: 'Prod!',
        readCapacity: '11',
        writeCapacity: '0',
        logRetentionDays: '8',
        minCapacity: '30',
        maxCapacity: '20',
        billingMode: 'free',
        alarmEmail: 'nope',
        throttleRateLimit: 'x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as StackConfigError).problems).toEqual([
      expect.stringMatching(/^environment must be/),
      'readCapacity must be an integer from 1 to 10 (got "11")',
      'writeCapacity must be an integer from 1 to 10 (got "0")',
      'maxCapacity (20) must be at least minCapacity (30)',
      expect.stringMatching(/^logRetentionDays must be one of CloudWatch's values: .* \(got 8\)$/),
      'throttleRateLimit must be an integer from 1 to 1000000 (got "x")',
      'alarmEmail must be an e-mail address (got "nope")',
      'billingMode must be one of provisioned, on-demand (got "free")',
    ]);
  });
});

describe('authentication settings of the stack', () => {
  it('default to Cognito sign-in with a pool of its own and the admin group', () => {
    expect(resolveConfig({})).toMatchObject({ authMode: 'jwt', adminGroup: 'admin' });
    expect(resolveConfig({}).userPoolId).toBeUndefined();
  });

  it('check an imported pool id, the group name and the mode', () => {
    expect(() => resolveConfig({ userPoolId: 'my-pool' })).toThrow(
      /userPoolId must be a Cognito user pool id/,
    );
    expect(() => resolveConfig({ adminGroup: 'two words' })).toThrow(/adminGroup must be/);
    expect(() => resolveConfig({ authMode: 'open' })).toThrow(/authMode must be one of jwt, none/);
    expect(() => resolveConfig({ authMode: 'none', userPoolId: 'eu-west-1_Ab12' })).toThrow(
      /userPoolId needs authMode=jwt/,
    );
    expect(resolveConfig({ userPoolId: 'eu-west-1_Ab12' }).userPoolId).toBe('eu-west-1_Ab12');
  });
});

describe('the settings a deployment can pass', () => {
  it('refuses a key that is no setting, naming it, and lets CDK’s own namespaced keys through', () => {
    expect(() => resolveConfig({ authMod: 'none', enviroment: 'prod' })).toThrow(
      /unknown setting "authMod"; the settings are: environment, .*adminConsoleDomainPrefix\n.*unknown setting "enviroment"/,
    );
    expect(
      resolveConfig({
        '@aws-cdk/core:newStyleStackSynthesis': true,
        'aws:cdk:bundling-stacks': [],
        'aws-cdk:enableDiffNoFail': 'true',
        'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      }),
    ).toEqual(DEFAULT_CONFIG);
  });

  it('are the rows of the README’s settings table, with the defaults it prints', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const table = /`pnpm synth` writes[\s\S]*?\n((?:\|.*\n)+)/.exec(readme)?.[1] ?? '';
    const rows = table
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((row) => row.split('|').map((cell) => cell.trim()));
    const documented = new Map<string, string>();
    for (const [, keys = '', defaults = ''] of rows) {
      const names = [...keys.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      const values = [...defaults.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      names.forEach((name, i) => documented.set(name, values[i] ?? defaults));
    }
    expect([...documented.keys()].sort()).toEqual([...CONFIG_KEYS].sort());
    for (const key of CONFIG_KEYS) {
      const value = DEFAULT_CONFIG[key];
      expect([key, documented.get(key)]).toEqual([key, formatSetting(value)]);
    }
  });
});

describe('the code cache settings', () => {
  const image = 'public.ecr.aws/lambda/nodejs:24.2026.11.20.10-arm64';
  const arn = `arn:aws:lambda:eu-west-1::runtime:${'a1'.repeat(32)}`;

  it('take an image with its runtime version, together', () => {
    expect(resolveConfig({ codeCacheImage: image, runtimeVersionArn: arn })).toMatchObject({
      codeCacheImage: image,
      runtimeVersionArn: arn,
    });
    expect(resolveConfig({}).codeCacheImage).toBeUndefined();
  });

  it('refuse one without the other, and malformed values', () => {
    expect(() => resolveConfig({ codeCacheImage: image })).toThrow(/go together/);
    expect(() => resolveConfig({ runtimeVersionArn: arn })).toThrow(/go together/);
    expect(() =>
      resolveConfig({ codeCacheImage: 'nodejs 24', runtimeVersionArn: 'arn:aws:lambda:x' }),
    ).toThrow(/codeCacheImage must be a container image[\s\S]*runtimeVersionArn must be/);
  });
});

describe('the settings of #27', () => {
  it('reserve concurrency per function, changing only those named, within the account quota', () => {
    expect(resolveConfig({ reservedConcurrency: 'get=300, list=80' }).reservedConcurrency).toEqual({
      ...DEFAULT_CONFIG.reservedConcurrency,
      get: 300,
      list: 80,
    });
    expect(() => resolveConfig({ reservedConcurrency: 'gets=3' })).toThrow(
      /reservedConcurrency must be function=count pairs/,
    );
    // AWS keeps 100 of the account's concurrency unreserved.
    expect(() => resolveConfig({ reservedConcurrency: 'get=700' })).toThrow(
      /reserves 960 of accountConcurrency 1000: AWS keeps 100 unreserved, so at most 900/,
    );
    expect(
      resolveConfig({ reservedConcurrency: 'get=700', accountConcurrency: '2000' }),
    ).toMatchObject({ accountConcurrency: 2000 });
  });

  it("keep the stage's throttle within the account's API Gateway quota", () => {
    expect(() => resolveConfig({ throttleRateLimit: '12000' })).toThrow(
      /throttleRateLimit 12000 is above accountApiRps 10000/,
    );
    expect(resolveConfig({ throttleRateLimit: '12000', accountApiRps: '20000' })).toMatchObject({
      throttleRateLimit: 12000,
      accountApiRps: 20000,
    });
  });

  it('take an SES domain identity that verifies the sender, and protection on or off', () => {
    expect(
      resolveConfig({ emailFrom: 'no-reply@example.com', emailIdentity: 'Example.com' }),
    ).toMatchObject({ emailIdentity: 'example.com' });
    expect(() =>
      resolveConfig({ emailFrom: 'no-reply@mail.example.com', emailIdentity: 'example.com' }),
    ).toThrow(/is not the domain of emailFrom/);
    expect(() => resolveConfig({ emailIdentity: 'example.com' })).toThrow(/needs emailFrom/);
    expect(resolveConfig({}).deletionProtection).toBe(true);
    expect(resolveConfig({ deletionProtection: 'false' }).deletionProtection).toBe(false);
    expect(() => resolveConfig({ deletionProtection: 'no' })).toThrow(/deletionProtection must be/);
  });
});

describe('declared metadata schemas (profileSchemas)', () => {
  const example = join(__dirname, '../../../docs/examples/profile-schemas.json');

  it('take a schemas file, by its absolute path; none by default', () => {
    expect(resolveConfig({}).profileSchemas).toBeUndefined();
    expect(resolveConfig({ profileSchemas: example }).profileSchemas).toBe(example);
  });

  it('stop the synth on a file that is missing, or a schema ajv cannot compile, saying why', () => {
    expect(() => resolveConfig({ profileSchemas: '/nowhere/schemas.json' })).toThrow(
      /profileSchemas: \/nowhere\/schemas\.json: cannot read the schemas file/,
    );
    const notSchemas = join(__dirname, '../package.json');
    expect(() => resolveConfig({ profileSchemas: notSchemas })).toThrow(
      /profileSchemas: .*package\.json: "name" is not a metadata tier/,
    );
  });
});

describe('the functions’ bundling with declared schemas', () => {
  it('points esbuild at the validators generated at synth, in place of the module of none', () => {
    const options = BUNDLE_OPTIONS.withMetadataValidators(BUNDLE_OPTIONS.lambda, '/gen/v.cjs');
    const args = bundlingFor(options, () => []).esbuildArgs ?? {};
    expect(args['--alias:@userprofile/adapters-json-schema/validators']).toBe('/gen/v.cjs');
    // The other aliases stay, and the module of none is the default.
    expect(args['--alias:thread-stream']).toEqual(expect.any(String));
    expect(BUNDLE_OPTIONS.withMetadataValidators(BUNDLE_OPTIONS.lambda, undefined)).toBe(
      BUNDLE_OPTIONS.lambda,
    );
  });

  it('synthesizes the stack with a schemas file', () => {
    const example = join(__dirname, '../../../docs/examples/profile-schemas.json');
    const { template } = synthStack({ profileSchemas: example });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'userprofile-dev-update-user',
    });
  });
});
