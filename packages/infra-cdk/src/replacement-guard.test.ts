import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployPlan } from './deploy-plan';
import {
  guardedResources,
  importMapping,
  REPLACEMENT_ONLY,
  stackPolicy,
} from './replacement-guard';
import { synthStack } from './testing';

type Template = Parameters<typeof guardedResources>[0];
const template = synthStack().template.toJSON() as Template;
const firstDeploy = synthStack({ deletionProtection: 'false' }).template.toJSON() as Template;

describe('a redeployment never replaces users, photos or the app client', () => {
  it('pins every replacement-only property and the logical id of each (a change here is a new, empty resource)', () => {
    // Changing any value below makes CloudFormation replace the resource; the stack policy
    // would refuse the deployment. If a change is really wanted, it is a migration: docs/infrastructure.md.
    expect(guardedResources(template)).toEqual([
      {
        logicalId: 'AuthUsersE210B9B0',
        type: 'AWS::Cognito::UserPool',
        pinned: {
          UsernameAttributes: ['email'],
          AliasAttributes: null,
          UsernameConfiguration: { CaseSensitive: false },
          Schema: [{ Mutable: true, Name: 'email', Required: true }],
        },
      },
      {
        logicalId: 'AuthUsersMobileApp10017CB9',
        type: 'AWS::Cognito::UserPoolClient',
        pinned: { UserPoolId: { Ref: 'AuthUsersE210B9B0' }, GenerateSecret: false },
      },
      {
        logicalId: 'ChangeFeedEvents15FBFF77',
        type: 'AWS::DynamoDB::Table',
        pinned: {
          TableName: 'UserProfileEvents-dev',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          LocalSecondaryIndexes: null,
          ImportSourceSpecification: null,
        },
      },
      {
        // The search items (ADR 0025): rebuilt by `pnpm backfill-search`, but a search answers
        // nothing until then.
        logicalId: 'DataSearchTable0AAB624C',
        type: 'AWS::DynamoDB::Table',
        pinned: {
          TableName: 'UserProfileSearch-dev',
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          LocalSecondaryIndexes: null,
          ImportSourceSpecification: null,
        },
      },
      {
        logicalId: 'DataTableFDBAD0F2',
        type: 'AWS::DynamoDB::Table',
        pinned: {
          TableName: 'UserProfiles-dev',
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          LocalSecondaryIndexes: null,
          ImportSourceSpecification: null,
        },
      },
      {
        logicalId: 'PhotosBucket4131342A',
        type: 'AWS::S3::Bucket',
        pinned: { BucketName: null, ObjectLockEnabled: null },
      },
    ]);
    // Every guarded type is in the stack (a type renamed away would guard nothing).
    expect(new Set(guardedResources(template).map((r) => r.type))).toEqual(
      new Set(Object.keys(REPLACEMENT_ONLY)),
    );
  });

  it('has a stack policy that denies replacing or deleting each of them, and allows the rest', () => {
    const policy = stackPolicy(template);
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['Update:Replace', 'Update:Delete'],
        Resource: [
          'LogicalResourceId/AuthUsersE210B9B0',
          'LogicalResourceId/AuthUsersMobileApp10017CB9',
          'LogicalResourceId/ChangeFeedEvents15FBFF77',
          'LogicalResourceId/DataSearchTable0AAB624C',
          'LogicalResourceId/DataTableFDBAD0F2',
          'LogicalResourceId/PhotosBucket4131342A',
        ],
      },
    ]);
  });
});

describe('a failed first deployment rolls back to nothing (ADR 0015)', () => {
  const protectedResources = (t: Template) =>
    Object.entries(t.Resources)
      .filter(([, r]) => {
        const p = r.Properties ?? {};
        return p.DeletionProtectionEnabled === true || p.DeletionProtection === 'ACTIVE';
      })
      .map(([id]) => id)
      .sort();

  it('deploys first without deletion protection, everything kept only once created', () => {
    expect(protectedResources(firstDeploy)).toEqual([]);
    const kept = Object.values(firstDeploy.Resources as Record<string, { DeletionPolicy?: string }>)
      .map((r) => r.DeletionPolicy)
      .filter((p) => p !== undefined && p !== 'Delete');
    expect(new Set(kept)).toEqual(new Set(['RetainExceptOnCreate']));
    // After it has succeeded, the tables and the pool are protected.
    expect(protectedResources(template)).toEqual([
      'AuthUsersE210B9B0',
      'ChangeFeedEvents15FBFF77',
      'DataSearchTable0AAB624C',
      'DataTableFDBAD0F2',
    ]);
  });

  it('is what `pnpm deploy:first` does: unprotected, then protected, then the stack policy', () => {
    const args = ['-c', 'environment=prod', '-c', 'alarmEmail=ops@example.com'];
    const plan = deployPlan(args, true).map((s) => [s.command, ...s.args].join(' '));
    expect(plan).toEqual([
      'pnpm exec cdk deploy UserProfile-prod --output cdk.out -c environment=prod -c alarmEmail=ops@example.com -c deletionProtection=false',
      'pnpm exec cdk deploy UserProfile-prod --output cdk.out -c environment=prod -c alarmEmail=ops@example.com',
      'aws cloudformation set-stack-policy --stack-name UserProfile-prod --stack-policy-body file://cdk.out/UserProfile-prod.stack-policy.json',
    ]);
    expect(deployPlan(args, false)).toHaveLength(2);
    expect(() => deployPlan(['-c', 'deletionProtection=false'], false)).toThrow(/leave it out/);
    const scripts = (
      JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['deploy:first']).toMatch(/tsx bin\/deploy\.ts --first$/);
    expect(scripts['deploy:env']).toMatch(/tsx bin\/deploy\.ts --again$/);
  });
});

describe('the delete-and-recreate runbook', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/infrastructure.md'), 'utf8');

  it('imports the kept table, pool and bucket under the logical ids the template has', () => {
    const block = /<!-- import-mapping -->\s*```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block!)).toEqual(importMapping(template));
    expect(Object.keys(importMapping(template))).toHaveLength(5);
  });

  it('names the deploy commands and outputs it relies on', () => {
    const outputs = Object.keys(synthStack().template.findOutputs('*'));
    for (const output of ['TableName', 'UserPoolId', 'PhotoBucket']) {
      expect(outputs).toContain(output);
      expect(doc).toContain(`\`${output}\``);
    }
    expect(doc).toContain('pnpm deploy:first');
    expect(doc).toContain('pnpm cdk import UserProfile-<env>');
  });
});
