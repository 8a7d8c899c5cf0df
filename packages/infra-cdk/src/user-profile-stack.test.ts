import { Match, type Template } from 'aws-cdk-lib/assertions';
import { synthStack } from './testing';
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
/**
 * The DynamoDB actions of a function's role by what they are granted on: `table` (the profile
 * table), `search table`, or either's `<table>/index/<name>`.
 */
function grantsOf(t: Template, name: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const s of statementsOf(t, name)) {
    const actions = ([] as string[]).concat(s.Action).filter((a) => a.startsWith('dynamodb:'));
    for (const resource of ([] as unknown[]).concat(s.Resource)) {
      if (actions.length === 0) continue;
      const text = JSON.stringify(resource);
      const table = /"DataSearchTable/.test(text) ? 'search table' : 'table';
      const index = /\/index\/(\w+)/.exec(text)?.[1];
      const on = index ? `${table}/index/${index}` : table;
      grants[on] = [...(grants[on] ?? []), ...actions].sort();
    }
  }
  return grants;
}

describe('the table', () => {
  it('comes from the shared definition: userId key, sharded CreatedAtIndex (and no other index), stream, PITR, SSE, retained', () => {
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

  it('has the search items in a table of their own (ADR 0025): SearchIndex, no stream, on demand, kept, protected, PITR, SSE', () => {
    for (const t of [template, synthStack({ billingMode: 'provisioned' }).template]) {
      t.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          TableName: 'UserProfileSearch-dev',
          // On demand whatever the profile table's billing.
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'userId', AttributeType: 'S' },
            { AttributeName: 'searchKey', AttributeType: 'S' },
            { AttributeName: 'listKey', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'SearchIndex',
              KeySchema: [
                { AttributeName: 'searchKey', KeyType: 'HASH' },
                { AttributeName: 'listKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          // No stream: its writes never reach the change feed's. No TTL: nothing in it expires.
          StreamSpecification: Match.absent(),
          TimeToLiveSpecification: Match.absent(),
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          DeletionProtectionEnabled: true,
          Tags: Match.arrayWith([{ Key: 'Environment', Value: 'dev' }]),
        },
      });
    }
    const { template: destroyed } = synthStack({ removalPolicy: 'destroy' });
    destroyed.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ TableName: 'UserProfileSearch-dev' }),
    });
  });

  it('is on demand by default; provisioned, it auto scales the table and its index, 2-20 at 70 %', () => {
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
      'dynamodb:index:WriteCapacityUnits',
      'dynamodb:table:ReadCapacityUnits',
      'dynamodb:table:WriteCapacityUnits',
    ]);
    for (const t of targets) expect(t).toMatchObject({ MinCapacity: 2, MaxCapacity: 20 });
    const policies = resources(provisioned, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, r]) => r.Properties,
    );
    expect(policies).toHaveLength(4);
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
    // The API's six, the photo sweep, the change feed's stream function, its routes' function and
    // its webhook function.
    expect(api).toHaveLength(10);
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
    ).toHaveLength(15); // ten functions, access and execution logs, the JWKS fetcher and provider, the console's deployment
  });

  it('serve every route of the app, each route from one function', () => {
    const served = Object.values(OPERATIONS).flatMap((o) => [...o.routes]);
    expect([...served].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('are granted only the table actions their routes use; the list function cannot write', () => {
    // Derived from ROUTES and REPOSITORY_ACCESS; proven against DynamoDB under these very
    // policies by artifact-profile-roles.int.test.ts. Idempotent creates read their record first; a read
    // never writes (#25), so the get function cannot either. Profile writes put and delete search
    // items in the search table (ADR 0025), in the profile's transaction.
    const get = 'dynamodb:GetItem';
    const [batchGet, put, del, update, query] = [
      'BatchGetItem',
      'PutItem',
      'DeleteItem',
      'UpdateItem',
      'Query',
    ].map((a) => `dynamodb:${a}`);
    expect(grantsOf(template, 'create-user')).toEqual({
      table: [get, put],
      'search table': [put],
    });
    // Public profiles are read in batches: BatchGetItem, never a Query or Scan.
    expect(grantsOf(template, 'get-user')).toEqual({ table: [batchGet, get] });
    // The search queries the search table's index, and reads a page's profiles and their
    // suspensions in batches; the list queries the profile table's index. Never a table itself.
    expect(grantsOf(template, 'list-users')).toEqual({
      table: [batchGet, get],
      'table/index/CreatedAtIndex': [query],
      'search table/index/SearchIndex': [query],
    });
    expect(grantsOf(template, 'update-user')).toEqual({
      table: [del, get, put, update],
      'search table': [del, put],
    });
    expect(grantsOf(template, 'delete-user')).toEqual({
      table: [del, get, update],
      'search table': [del],
    });
    expect(grantsOf(template, 'user-photo')).toEqual({
      table: [del, get, put, update],
      'search table': [del, put],
    });
  });

  it('are told the search table where they use it: those that write profiles or search them', () => {
    const searchTableOf = (name: string) =>
      (
        fns.find((f) => f.FunctionName === `userprofile-dev-${name}`)?.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables.SEARCH_TABLE_NAME;
    for (const name of ['create-user', 'list-users', 'update-user', 'delete-user', 'user-photo']) {
      expect([name, searchTableOf(name)]).toEqual([
        name,
        { Ref: expect.stringMatching(/^DataSearchTable/) },
      ]);
    }
    expect(searchTableOf('get-user')).toBeUndefined();
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
