import { synthStack } from './testing';

/**
 * Least privilege for AWS services (the confused deputy): every grant to a service principal in
 * the stack names the account or the very resource it acts for.
 */
const template = synthStack().template.toJSON() as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};
type Statement = { Principal?: { Service?: unknown }; Condition?: Record<string, unknown> };

const policyStatements = Object.entries(template.Resources).flatMap(([id, r]) => {
  const doc = (r.Properties.KeyPolicy ?? r.Properties.PolicyDocument) as
    { Statement: Statement[] } | undefined;
  if (!doc || r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role') return [];
  return doc.Statement.filter((s) => s.Principal?.Service !== undefined).map((s) => ({
    id,
    type: r.Type,
    statement: s,
  }));
});

describe('service principals', () => {
  it('in key, topic, queue and bucket policies are held to this account or one resource of it', () => {
    const services = policyStatements.map(
      (p) => `${p.type} ${JSON.stringify(p.statement.Principal)}`,
    );
    expect(services.sort()).toEqual(
      [
        'AWS::KMS::Key {"Service":"cloudwatch.amazonaws.com"}',
        'AWS::S3::BucketPolicy {"Service":"cloudfront.amazonaws.com"}',
        // The admin console's bucket, read by its own distribution.
        'AWS::S3::BucketPolicy {"Service":"cloudfront.amazonaws.com"}',
        'AWS::SNS::TopicPolicy {"Service":"cloudwatch.amazonaws.com"}',
        // The change feed's example rule, to its queue (change-feed-bus.ts).
        'AWS::SQS::QueuePolicy {"Service":"events.amazonaws.com"}',
      ].sort(),
    );
    for (const { id, statement } of policyStatements) {
      const condition = JSON.stringify(statement.Condition ?? {});
      expect([id, condition]).toEqual([
        id,
        expect.stringMatching(/aws:SourceAccount|AWS:SourceArn|aws:SourceArn/),
      ]);
    }
  });

  it('that may invoke a function are held to one API, one rule, or this account', () => {
    const permissions = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Permission',
    );
    expect(permissions.length).toBeGreaterThan(10);
    for (const { Properties: p } of permissions) {
      expect([p.Principal, p.SourceArn ?? p.SourceAccount]).toEqual([
        expect.stringMatching(/\.amazonaws\.com$/),
        expect.anything(),
      ]);
    }
  });
});
