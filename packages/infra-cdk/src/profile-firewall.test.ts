import { Match, type Template } from 'aws-cdk-lib/assertions';
import { BODY_LIMIT_BYTES } from '@userprofile/adapters-http/body-limit';
import { CORS_POLICY } from '@userprofile/adapters-http/cors-policy';
import { PROFILE_LIMITS } from '@userprofile/domain';
import { COUNTED_COMMON_RULES, inspectionLimitFor, WAF_WINDOW_SECONDS } from './profile-firewall';
import { synthStack } from './testing';

/** A WAF rule as the template holds it (only what the tests read is typed). */
interface WafRule {
  Name: string;
  Priority: number;
  Statement: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  Action?: {
    Count?: object;
    Block?: {
      CustomResponse: {
        ResponseCode: number;
        CustomResponseBodyKey: string;
        ResponseHeaders: { Name: string; Value: string }[];
      };
    };
  };
  RuleLabels?: { Name: string }[];
}
const aclOf = (t: Template) =>
  Object.values(t.findResources('AWS::WAFv2::WebACL'))[0]!.Properties as {
    Rules: WafRule[];
    CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
    AssociationConfig: unknown;
  };
const { template } = synthStack();
const acl = aclOf(template);
const rule = (name: string) => acl.Rules.find((r) => r.Name === name)!;
const headersOf = (r: WafRule) =>
  Object.fromEntries(r.Action!.Block!.CustomResponse.ResponseHeaders.map((h) => [h.Name, h.Value]));

describe('the firewall', () => {
  it('guards the API stage with a regional web ACL', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(':apigateway:'),
            Match.stringLikeRegexp('/stages/'),
          ]),
        ],
      },
    });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
    });
  });

  it('limits each IP, and each token’s writes, from the settings', () => {
    expect(rule('PerIpRate').Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'IP',
      Limit: 300,
      EvaluationWindowSec: WAF_WINDOW_SECONDS,
    });
    expect(rule('PerTokenWrites').Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
      Limit: 60,
      ScopeDownStatement: {
        NotStatement: {
          Statement: { RegexMatchStatement: { RegexString: '^(GET|HEAD|OPTIONS)$' } },
        },
      },
    });
    const tuned = aclOf(synthStack({ wafRequestsPerIp: '1000', wafWritesPerToken: '20' }).template);
    expect(tuned.Rules.flatMap((r) => r.Statement.RateBasedStatement?.Limit ?? [])).toEqual([
      1000, 20,
    ]);
    const open = aclOf(synthStack({ authMode: 'none' }).template);
    expect(open.Rules.some((r) => r.Name === 'PerTokenWrites')).toBe(false);
    synthStack({ waf: 'false' }).template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(() => synthStack({ wafRequestsPerIp: '5' })).toThrow(
      /wafRequestsPerIp must be an integer from 10/,
    );
    expect(() => synthStack({ waf: 'yes' })).toThrow(/waf must be one of true, false/);
  });
});

describe('the firewall and the app agree', () => {
  it("refuses bodies over the app's own limit, and inspects bodies that large", () => {
    expect(rule('BodyTooLarge').Statement.SizeConstraintStatement).toEqual({
      FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      ComparisonOperator: 'GT',
      Size: BODY_LIMIT_BYTES,
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    });
    const limit = inspectionLimitFor(BODY_LIMIT_BYTES);
    expect(acl.AssociationConfig).toEqual({
      RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: limit } },
    });
    // The limit sees a whole body of the app's maximum (an oversize body would simply MATCH).
    expect(Number(limit.slice(3)) * 1024).toBeGreaterThanOrEqual(BODY_LIMIT_BYTES);
    expect(inspectionLimitFor(16 * 1024)).toBe('KB_16');
    expect(() => inspectionLimitFor(65 * 1024)).toThrow(/cannot inspect/);
  });

  it('lets the largest valid profile through the common rules: their 8 KB size rule and the body rules metadata trips only count', () => {
    // A valid profile's metadata alone may be twice the common rule set's fixed 8 KB.
    expect(PROFILE_LIMITS.metadataMaxBytes).toBeGreaterThan(8 * 1024);
    expect(PROFILE_LIMITS.metadataMaxBytes).toBeLessThan(BODY_LIMIT_BYTES);
    const common = rule('AwsCommonRules');
    expect(common.Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesCommonRuleSet',
      RuleActionOverrides: COUNTED_COMMON_RULES.map((name) => ({
        Name: name,
        ActionToUse: { Count: {} },
      })),
    });
    expect(COUNTED_COMMON_RULES).toContain('SizeRestrictions_BODY');
    expect(COUNTED_COMMON_RULES).toEqual(
      expect.arrayContaining(['CrossSiteScripting_BODY', 'GenericLFI_BODY']),
    );
    // Nothing that refuses a request stands before the rules that answer it.
    expect(acl.Rules.at(-1)!.Name).toBe('AwsCommonRules');
  });

  it('answers its refusals as problems with CORS headers, 429 with Retry-After, 413 over the limit', () => {
    for (const decider of ['PerIpRate', 'PerTokenWrites', 'BodyTooLarge']) {
      expect([decider, rule(decider).Action]).toEqual([decider, { Count: {} }]);
    }
    expect(rule('PerIpRate').RuleLabels).toEqual([{ Name: 'userprofile:refuse:tooMany' }]);
    expect(rule('BodyTooLarge').RuleLabels).toEqual([{ Name: 'userprofile:refuse:tooLarge' }]);
    const tooMany = rule('Answer-tooMany-0');
    expect(tooMany.Statement).toEqual({
      LabelMatchStatement: { Scope: 'LABEL', Key: 'userprofile:refuse:tooMany' },
    });
    expect(tooMany.Action!.Block!.CustomResponse).toMatchObject({
      ResponseCode: 429,
      CustomResponseBodyKey: 'tooMany',
    });
    expect(headersOf(tooMany)).toEqual({
      'Retry-After': String(WAF_WINDOW_SECONDS),
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': CORS_POLICY.exposedHeaders.join(', '),
      Vary: 'Origin',
      'Cache-Control': 'no-store',
    });
    expect(rule('Answer-tooLarge-0').Action!.Block!.CustomResponse.ResponseCode).toBe(413);
    for (const [key, status, code] of [
      ['tooMany', 429, 'RATE_LIMITED'],
      ['tooLarge', 413, 'BODY_TOO_LARGE'],
    ] as const) {
      const body = acl.CustomResponseBodies[key]!;
      // WAF offers no application/problem+json: the shape is the problem's, the type JSON.
      expect(body.ContentType).toBe('APPLICATION_JSON');
      expect(JSON.parse(body.Content)).toMatchObject({
        type: expect.stringMatching(/^\/problems\//),
        status,
        code,
      });
    }
  });

  it('answers each allowed origin with its own CORS header, and others without, when there are several', () => {
    const two = aclOf(
      synthStack({ corsOrigins: 'https://a.example.com,https://b.example.com' }).template,
    );
    const answers = two.Rules.filter((r) => r.Name.startsWith('Answer-tooMany-'));
    expect(answers.map((r) => headersOf(r)['Access-Control-Allow-Origin'])).toEqual([
      'https://a.example.com',
      'https://b.example.com',
      undefined,
    ]);
    expect(answers[0]!.Statement.AndStatement.Statements[1].ByteMatchStatement).toMatchObject({
      FieldToMatch: { SingleHeader: { Name: 'origin' } },
      PositionalConstraint: 'EXACTLY',
      SearchString: 'https://a.example.com',
    });
    expect(answers[2]!.Statement).toEqual({
      LabelMatchStatement: { Scope: 'LABEL', Key: 'userprofile:refuse:tooMany' },
    });
    // Every rule has its own priority, in order.
    expect(two.Rules.map((r) => r.Priority)).toEqual(two.Rules.map((_, i) => i));
  });
});
