import { Match, type Template } from 'aws-cdk-lib/assertions';
import { resolveConfig } from './config';
import { synthStack } from './testing';

type Resource = { Type: string; Properties: Record<string, unknown> };
const resources = (t: Template, type: string) => Object.values(t.findResources(type)) as Resource[];

describe('the admin console in AWS', () => {
  const { stack, template } = synthStack({ adminConsoleUrls: 'https://admin.example.com' });

  it('is served from a private bucket by CloudFront through origin access control', () => {
    const console = stack.adminConsole!;
    const bucketId = stack.getLogicalId(console.bucket.node.defaultChild as never);
    expect(template.toJSON().Resources[bucketId].Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const distribution = resources(template, 'AWS::CloudFront::Distribution').find(
      (d) =>
        (d.Properties.DistributionConfig as { Comment: string }).Comment ===
        'userprofile-dev admin console',
    )!;
    const config = distribution.Properties.DistributionConfig as {
      Origins: {
        OriginAccessControlId?: unknown;
        S3OriginConfig?: { OriginAccessIdentity: string };
      }[];
      DefaultCacheBehavior: { ViewerProtocolPolicy: string; FunctionAssociations: unknown[] };
    };
    expect(config.Origins[0]!.OriginAccessControlId).toBeDefined();
    expect(config.Origins[0]!.S3OriginConfig?.OriginAccessIdentity ?? '').toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
  });

  it('sends a strict CSP: its own scripts and styles only, nothing inline, no framing', () => {
    const policies = resources(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(
      policies.map(
        (p) =>
          (p.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: unknown })
            .SecurityHeadersConfig,
      ),
    );
    expect(csp).toContain("script-src 'self'; style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('signs administrators in with its own public Cognito client: code grant (PKCE), no secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'userprofile-dev-admin-console',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      CallbackURLs: [
        {
          'Fn::Join': [
            '',
            [
              'https://',
              { 'Fn::GetAtt': [Match.stringLikeRegexp('^AdminConsoleCdn'), 'DomainName'] },
              '/admin/callback',
            ],
          ],
        },
        'https://admin.example.com/admin/callback',
      ],
      LogoutURLs: Match.arrayWith(['https://admin.example.com/admin/']),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'userprofile-dev-admin',
    });
  });

  it("makes the functions accept the console's ID tokens as well as the mobile app's", () => {
    const audiences = resources(template, 'AWS::Lambda::Function')
      .map(
        (f) =>
          (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
            ?.Variables?.AUTH_AUDIENCE,
      )
      .filter(Boolean)
      .map((a) => JSON.stringify(a));
    expect(audiences.length).toBeGreaterThan(0);
    for (const audience of audiences) {
      expect(audience).toMatch(/AuthUsersMobileApp/);
      expect(audience).toMatch(/AuthUsersAdminConsole/);
    }
  });

  it('deploys the built files and a config.json naming the API, the Hosted UI and the client', () => {
    const deployments = resources(template, 'Custom::CDKBucketDeployment');
    expect(deployments.map((d) => d.Properties.DestinationBucketKeyPrefix)).toEqual([
      'admin/',
      'admin/',
    ]);
    const page = deployments.find((d) => d.Properties.DistributionPaths)!;
    expect(page.Properties.DistributionPaths).toEqual(['/admin/index.html', '/admin/config.json']);
    const markers = JSON.stringify(page.Properties.SourceMarkers);
    expect(markers).toMatch(/HttpApi|Http.*Api|execute-api/);
    expect(markers).toMatch(/AdminConsole/);
    expect(template.toJSON().Outputs.AdminConsoleUrl).toBeDefined();
  });

  it('is left out without sign-in, or with adminConsole=false', () => {
    for (const context of [{ authMode: 'none' }, { adminConsole: 'false' }]) {
      const { template: without } = synthStack(context);
      expect(resources(without, 'Custom::CDKBucketDeployment')).toHaveLength(0);
      expect(without.toJSON().Outputs.AdminConsoleUrl).toBeUndefined();
    }
  });

  it('refuses a console URL that is not an https origin, and a bad domain prefix', () => {
    expect(() => resolveConfig({ adminConsoleUrls: 'http://admin.example.com' })).toThrow(
      /adminConsoleUrls must be https origins/,
    );
    expect(() => resolveConfig({ adminConsoleDomainPrefix: 'Bad_Prefix' })).toThrow(
      /adminConsoleDomainPrefix must be/,
    );
  });
});
