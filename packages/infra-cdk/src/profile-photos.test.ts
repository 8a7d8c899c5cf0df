import { Match, type Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from './config';
import { IMAGE_FUNCTION_CONCURRENCY } from './profile-functions';
import { synthStack } from './testing';

const { template } = synthStack();
type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];

const functionNamed = (name: string) =>
  resources(template, 'AWS::Lambda::Function').find(
    (f) => f.Properties.FunctionName === `userprofile-dev-${name}`,
  )!;

/** The IAM statements of the role of `userprofile-dev-<name>` that touch the photo bucket. */
/** The only condition a bucket-level statement may have: the prefixes it may list. */
type ListingCondition = { StringLike?: { 's3:prefix'?: string[] } };
function bucketStatements(name: string) {
  const fn = resources(template, 'AWS::Lambda::Function').find(
    (f) => f.Properties.FunctionName === `userprofile-dev-${name}`,
  )!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return resources(template, 'AWS::IAM::Policy')
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(
      (p) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Action: unknown; Resource: unknown; Condition?: ListingCondition }[];
          }
        ).Statement,
    )
    .filter((s) => JSON.stringify(s.Resource).includes('PhotosBucket'))
    .map((s) => ({
      actions: ([] as unknown[]).concat(s.Action).sort(),
      // Statements with the same actions are merged: one may name both prefixes.
      on:
        [...JSON.stringify(s.Resource).matchAll(/\/(uploads|photos)\/\*/g)]
          .map((m) => m[1])
          .join(' and ') ||
        `bucket, listing ${(s.Condition?.StringLike?.['s3:prefix'] ?? ['anything']).join(' and ')}`,
    }))
    .sort((a, b) => a.on.localeCompare(b.on));
}

describe('the photo bucket', () => {
  it('is private, encrypted, TLS only, owner-enforced and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      }),
    });
  });

  it('expires uploads never committed after a day, and lets web apps post uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      },
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: ['*'] })],
      },
    });
  });

  it('is emptied and removed with the stack only when destroy is asked for', () => {
    const { template: t } = synthStack({ removalPolicy: 'destroy' });
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    // (The admin console's bucket of built files is emptied and removed in every mode.)
    const emptied = (of: Template) =>
      resources(of, 'Custom::S3AutoDeleteObjects').map((r) =>
        JSON.stringify(r.Properties.BucketName),
      );
    expect(emptied(t).filter((b) => b.includes('PhotosBucket'))).toHaveLength(1);
    expect(emptied(template).filter((b) => b.includes('PhotosBucket'))).toHaveLength(0);
  });
});

describe('the photo CDN', () => {
  it('serves the photos/ prefix only, through origin access control, over HTTPS', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            OriginPath: '/photos',
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    // Only CloudFront (this distribution) may read, and nobody may list.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      }),
    });
  });

  it('is the base of the rendition URLs every function shows', () => {
    // The change feed's stream function and webhook dispatcher show no profile: they turn stream
    // records into events, and deliver events.
    const fns = resources(template, 'AWS::Lambda::Function').filter(
      (f) =>
        String(f.Properties.FunctionName).startsWith('userprofile-') &&
        !/-(change-feed|change-feed-webhooks)$/.test(String(f.Properties.FunctionName)),
    );
    expect(fns).toHaveLength(8);
    for (const fn of fns) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(JSON.stringify(env.PHOTOS_URL)).toMatch(/https:\/\/.*PhotosCdn.*DomainName/);
    }
  });
});

describe('the photo routes', () => {
  it('run in a function of their own with the bucket actions their photo store methods declare', () => {
    // Listings only of uploads (s3:prefix): findUpload lists the upload's own key.
    expect(bucketStatements('user-photo')).toEqual([
      { actions: ['s3:ListBucket'], on: 'bucket, listing uploads/*' },
      { actions: ['s3:DeleteObject', 's3:PutObject'], on: 'photos' },
      { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], on: 'uploads' },
    ]);
    // Deleting a profile deletes its renditions and lists and deletes its uploads; nothing else
    // touches the bucket.
    expect(bucketStatements('delete-user')).toEqual([
      { actions: ['s3:ListBucket'], on: 'bucket, listing uploads/*' },
      { actions: ['s3:DeleteObject'], on: 'photos and uploads' },
    ]);
    for (const name of ['create-user', 'get-user', 'list-users', 'update-user']) {
      expect([name, bucketStatements(name)]).toEqual([name, []]);
    }
  });

  it('reserve concurrency for the function that decodes photos, as every function does its own', () => {
    const photo = functionNamed('user-photo');
    expect(photo.Properties.ReservedConcurrentExecutions).toBe(IMAGE_FUNCTION_CONCURRENCY);
    const names = {
      create: 'create-user',
      get: 'get-user',
      list: 'list-users',
      update: 'update-user',
      delete: 'delete-user',
    } as const;
    for (const [op, name] of Object.entries(names) as [keyof typeof names, string][]) {
      expect([name, functionNamed(name).Properties.ReservedConcurrentExecutions]).toEqual([
        name,
        DEFAULT_CONFIG.reservedConcurrency[op],
      ]);
    }
  });

  it('are swept daily of renditions no profile shows, by a function that may read the table and list and delete renditions only', () => {
    const sweep = functionNamed('photo-sweep');
    expect(sweep.Properties.Handler).toBe('index.handler');
    expect(bucketStatements('photo-sweep')).toEqual([
      { actions: ['s3:ListBucket'], on: 'bucket, listing photos/*' },
      { actions: ['s3:DeleteObject'], on: 'photos' },
    ]);
    const roleId = (sweep.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const tableActions = resources(template, 'AWS::IAM::Policy')
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement,
      )
      .flatMap((s) => ([] as unknown[]).concat(s.Action))
      .filter((a) => String(a).startsWith('dynamodb:'));
    expect(tableActions).toEqual(['dynamodb:Scan']);
    const fnId = Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, f]) => (f as Resource).Properties.FunctionName === 'userprofile-dev-photo-sweep',
    )![0];
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'userprofile-dev-photo-sweep-errors',
      AlarmActions: Match.anyValue(),
    });
  });

  it('have alarms on their errors and throttles', () => {
    for (const suffix of ['errors', 'throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `userprofile-dev-photo-${suffix}`,
      });
    }
  });

  it('are routed to the photo function', () => {
    const photoMethods = resources(template, 'AWS::ApiGateway::Method').filter(
      (m) =>
        m.Properties.HttpMethod !== 'OPTIONS' &&
        JSON.stringify(m.Properties.Integration).includes('Functionsphoto'),
    );
    expect(photoMethods.map((m) => m.Properties.HttpMethod).sort()).toEqual([
      'DELETE',
      'POST',
      'PUT',
    ]);
  });
});
