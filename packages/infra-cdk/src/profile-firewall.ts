import { Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { UserProfileStackConfig } from './config';

/** How long a rate-based rule counts requests over, in seconds (WAF allows 60, 120, 300, 600). */
const WAF_WINDOW_SECONDS = 60;

/** The body of WAF's 429: the fields of the API's problems (WAF can only call it application/json). */
const TOO_MANY = JSON.stringify({
  type: '/problems/rate-limited',
  title: 'Too Many Requests',
  status: 429,
  detail: `Too many requests from this client; retry in ${WAF_WINDOW_SECONDS} seconds.`,
  code: 'RATE_LIMITED',
});

/**
 * A WAF web ACL in front of the API stage: AWS's common managed rules (the OWASP-style rule set
 * AWS maintains), a per-IP rate limit on every request and, with sign-in, a per-token limit on
 * writes, because a Lambda counts only its own requests. Blocked by a rate rule: 429 with
 * `Retry-After`, in the API's problem shape.
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
    const tooMany: wafv2.CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'tooMany',
          responseHeaders: [{ name: 'Retry-After', value: String(WAF_WINDOW_SECONDS) }],
        },
      },
    };
    const writes: wafv2.CfnWebACL.StatementProperty = {
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
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'PerIpRate',
        priority: 0,
        action: tooMany,
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: config.wafRequestsPerIp,
            evaluationWindowSec: WAF_WINDOW_SECONDS,
          },
        },
        visibilityConfig: visibility(`${name}-per-ip`),
      },
      ...(config.authMode === 'jwt'
        ? [
            {
              name: 'PerTokenWrites',
              priority: 1,
              action: tooMany,
              statement: {
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
                  scopeDownStatement: writes,
                },
              },
              visibilityConfig: visibility(`${name}-per-token-writes`),
            },
          ]
        : []),
      {
        name: 'AwsCommonRules',
        priority: 2,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
        },
        visibilityConfig: visibility(`${name}-common`),
      },
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      customResponseBodies: { tooMany: { contentType: 'APPLICATION_JSON', content: TOO_MANY } },
      rules,
      visibilityConfig: visibility(name),
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      webAclArn: this.webAcl.attrArn,
      resourceArn: `arn:${Stack.of(this).partition}:apigateway:${Stack.of(this).region}::/restapis/${stage.restApi.restApiId}/stages/${stage.stageName}`,
    });
  }
}
