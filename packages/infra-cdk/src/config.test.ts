import { DEFAULT_CONFIG, resolveConfig, StackConfigError } from './config';

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
      'throttleRateLimit must be an integer from 1 to 10000 (got "x")',
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
