import { Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { BODY_LIMIT_BYTES } from '@userprofile/adapters-http/body-limit';
import { CORS_POLICY } from '@userprofile/adapters-http/cors-policy';
import { problem, type ProblemCode } from '@userprofile/adapters-http/problem';
import type { UserProfileStackConfig } from './config';

/** How long a rate-based rule counts requests over, in seconds (WAF allows 60, 120, 300, 600). */
export const WAF_WINDOW_SECONDS = 60;

/** The body sizes WAF can inspect in front of API Gateway (16 KB unless raised, at a price). */
const INSPECTION_LIMITS_KB = [16, 32, 48, 64] as const;

/** The smallest body inspection limit that sees a whole body the app accepts. */
export function inspectionLimitFor(bodyLimitBytes: number): `KB_${number}` {
  const kb = INSPECTION_LIMITS_KB.find((limit) => limit * 1024 >= bodyLimitBytes);
  if (kb === undefined) throw new Error(`WAF cannot inspect bodies of ${bodyLimitBytes} bytes`);
  return `KB_${kb}`;
}

/**
 * Rules of AWS's common rule set that only count: each would refuse requests the API accepts.
 * `SizeRestrictions_BODY` blocks bodies over 8 KB (fixed) where the app takes 64 KB (metadata up
 * to 16 KB), so `BodyTooLarge` below replaces it at the app's own limit. The other four inspect
 * the body, whose free-form `metadata` may hold `<b>`, `../`, or a URL with an IP address; the
 * API stores JSON and never renders it as HTML (its answers are JSON with `nosniff` and
 * `default-src 'none'`), never reads a file named by a request, and never fetches a URL from one.
 */
export const COUNTED_COMMON_RULES = [
  'SizeRestrictions_BODY',
  'CrossSiteScripting_BODY',
  'GenericLFI_BODY',
  'GenericRFI_BODY',
  'EC2MetaDataSSRF_BODY',
] as const;

/** What the firewall answers itself: status, problem code and detail, extra headers. */
const REFUSALS = {
  tooMany: {
    status: 429,
    code: 'RATE_LIMITED',
    detail: `Too many requests from this client; retry in ${WAF_WINDOW_SECONDS} seconds.`,
    headers: { 'Retry-After': String(WAF_WINDOW_SECONDS) },
  },
  tooLarge: {
    status: 413,
    code: 'BODY_TOO_LARGE',
    detail: `The request body is larger than ${BODY_LIMIT_BYTES} bytes.`,
    headers: {},
  },
} as const satisfies Record<
  string,
  { status: number; code: ProblemCode; detail: string; headers: Record<string, string> }
>;
type Refusal = keyof typeof REFUSALS;

/**
 * A WAF web ACL in front of the API stage: a per-IP rate limit on every request and, with sign-in,
 * a per-token limit on writes (a Lambda counts only its own requests), the app's body limit, and
 * AWS's common managed rules less those that refuse valid profiles. Refusals answer in the API's
 * problem shape (WAF can only call it `application/json`) with CORS headers, so a browser app can
 * read them: the rules that decide only label a request, and one answering rule per refusal and
 * allowed origin blocks it with that origin's `Access-Control-Allow-Origin`.
 */
export class ProfileFirewall extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    stage: apigateway.Stage,
  ) {
    super(scope, id);
    const name = `userprofile-${config.environment}`;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const deciding = deciders(config, name, visibility);
    const answering = answerers(config, name, visibility, deciding.length);
    const common: wafv2.CfnWebACL.RuleProperty = {
      name: 'AwsCommonRules',
      priority: deciding.length + answering.length,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: 'AWSManagedRulesCommonRuleSet',
          ruleActionOverrides: COUNTED_COMMON_RULES.map((rule) => ({
            name: rule,
            actionToUse: { count: {} },
          })),
        },
      },
      visibilityConfig: visibility(`${name}-common`),
    };
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: Object.fromEntries(
        Object.entries(REFUSALS).map(([key, r]) => [
          key,
          {
            contentType: 'APPLICATION_JSON',
            content: JSON.stringify(problem(r.status, r.code, r.detail)),
          },
        ]),
      ),
      // WAF sees the whole of any body the app would accept (the default is 16 KB).
      associationConfig: {
        requestBody: {
          API_GATEWAY: { defaultSizeInspectionLimit: inspectionLimitFor(BODY_LIMIT_BYTES) },
        },
      },
      rules: [...deciding, ...answering, common],
      visibilityConfig: visibility(name),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      webAclArn: this.webAcl.attrArn,
      resourceArn: `arn:${Stack.of(this).partition}:apigateway:${Stack.of(this).region}::/restapis/${stage.restApi.restApiId}/stages/${stage.stageName}`,
    });
  }
}

/** The label a deciding rule puts on a request it refuses. */
const labelOf = (refusal: Refusal) => `userprofile:refuse:${refusal}`;

type Visibility = (metricName: string) => wafv2.CfnWebACL.VisibilityConfigProperty;

/** Requests that write: every method but GET, HEAD and OPTIONS. */
const WRITES: wafv2.CfnWebACL.StatementProperty = {
  notStatement: {
    statement: {
      regexMatchStatement: {
        fieldToMatch: { method: {} },
        regexString: '^(GET|HEAD|OPTIONS)$',
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    },
  },
};

/** The rules that decide a refusal: they count and label, the answering rules block. */
function deciders(
  config: UserProfileStackConfig,
  name: string,
  visibility: Visibility,
): wafv2.CfnWebACL.RuleProperty[] {
  const decide = (
    ruleName: string,
    refusal: Refusal,
    statement: wafv2.CfnWebACL.StatementProperty,
    metric: string,
  ): wafv2.CfnWebACL.RuleProperty => ({
    name: ruleName,
    priority: 0,
    action: { count: {} },
    ruleLabels: [{ name: labelOf(refusal) }],
    statement,
    visibilityConfig: visibility(`${name}-${metric}`),
  });
  const rules = [
    decide(
      'PerIpRate',
      'tooMany',
      {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: config.wafRequestsPerIp,
          evaluationWindowSec: WAF_WINDOW_SECONDS,
        },
      },
      'per-ip',
    ),
    ...(config.authMode === 'jwt'
      ? [
          decide(
            'PerTokenWrites',
            'tooMany',
            {
              rateBasedStatement: {
                aggregateKeyType: 'CUSTOM_KEYS',
                customKeys: [
                  {
                    header: {
                      name: 'authorization',
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  },
                ],
                limit: config.wafWritesPerToken,
                evaluationWindowSec: WAF_WINDOW_SECONDS,
                scopeDownStatement: WRITES,
              },
            },
            'per-token-writes',
          ),
        ]
      : []),
    decide(
      'BodyTooLarge',
      'tooLarge',
      {
        sizeConstraintStatement: {
          fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
          comparisonOperator: 'GT',
          size: BODY_LIMIT_BYTES,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
      'body-too-large',
    ),
  ];
  return rules.map((rule, priority) => ({ ...rule, priority }));
}

/**
 * One blocking rule per refusal and allowed origin, answering with that origin's CORS headers:
 * WAF's responses are static, so with several origins each gets its own rule (the caller's
 * `Origin` header matched exactly), and a last one answers callers of no allowed origin without.
 */
function answerers(
  config: UserProfileStackConfig,
  name: string,
  visibility: Visibility,
  first: number,
): wafv2.CfnWebACL.RuleProperty[] {
  const origins: (string | undefined)[] =
    config.corsOrigins === '*' ? ['*'] : [...config.corsOrigins, undefined];
  const rules: wafv2.CfnWebACL.RuleProperty[] = [];
  for (const [refusal, r] of Object.entries(REFUSALS) as [Refusal, (typeof REFUSALS)[Refusal]][]) {
    origins.forEach((origin, i) => {
      const labelled: wafv2.CfnWebACL.StatementProperty = {
        labelMatchStatement: { scope: 'LABEL', key: labelOf(refusal) },
      };
      const fromOrigin: wafv2.CfnWebACL.StatementProperty | undefined =
        origin === undefined || origin === '*'
          ? undefined
          : {
              byteMatchStatement: {
                fieldToMatch: { singleHeader: { Name: 'origin' } },
                positionalConstraint: 'EXACTLY',
                searchString: origin,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            };
      const cors = corsHeaders(origin);
      rules.push({
        name: `Answer-${refusal}-${i}`,
        priority: first + rules.length,
        action: {
          block: {
            customResponse: {
              responseCode: r.status,
              customResponseBodyKey: refusal,
              responseHeaders: Object.entries({ ...r.headers, ...cors }).map(([n, value]) => ({
                name: n,
                value,
              })),
            },
          },
        },
        statement: fromOrigin ? { andStatement: { statements: [labelled, fromOrigin] } } : labelled,
        visibilityConfig: visibility(`${name}-answer-${refusal}-${i}`),
      });
    });
  }
  return rules;
}

/**
 * The CORS headers the app's own answers carry, for one allowed origin (or `*`); for a caller of
 * no allowed origin, only what any answer of the API carries.
 */
function corsHeaders(origin: string | undefined): Record<string, string> {
  const always = { Vary: 'Origin', 'Cache-Control': 'no-store' };
  if (origin === undefined) return always;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_POLICY.exposedHeaders.join(', '),
    ...always,
  };
}
