import {
  AssetHashType,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type CfnResource,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { UserProfileStackConfig } from './config';
import { REPLACEABLE } from './replacement-guard';

/** The console's package: `vite build` makes the files deployed (never committed). */
const CONSOLE_DIR = join(__dirname, '../../admin-console');
/** Where the console lives on its distribution, as on the local server. */
const PREFIX = 'admin';

/** What the console needs of the rest of the stack. */
export interface AdminConsoleProps {
  /** The pool administrators sign in to (its admin group lets them list and change profiles). */
  readonly userPool: cognito.IUserPool;
  /** Where photo renditions are served: the console shows them (CSP `img-src`). */
  readonly photosUrl: string;
}

/**
 * The admin console (packages/admin-console) for AWS: a private bucket read by a CloudFront
 * distribution through origin access control, under a strict CSP (no inline script or style);
 * Cognito's Hosted UI with an app client of its own (authorization code with PKCE, no secret);
 * and, once the API exists, the built files and a `config.json` that tells them where it is
 * (`deploy`). The functions accept the console's ID tokens: add `clientId` to their audience.
 */
export class AdminConsole extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly client: cognito.UserPoolClient;
  public readonly domain: cognito.UserPoolDomain;
  /** The console's address: `https://<distribution>/admin/`. */
  public readonly url: string;
  private readonly origins: string[];

  constructor(
    scope: Construct,
    id: string,
    private readonly config: UserProfileStackConfig,
    private readonly props: AdminConsoleProps,
  ) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only built files, made again by every deployment: nothing to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    replaceable(this.bucket, 'built files, deployed again by every deployment');
    this.distribution = this.makeDistribution();
    const own = `https://${this.distribution.distributionDomainName}`;
    this.url = `${own}/${PREFIX}/`;
    this.origins = [own, ...(config.adminConsoleUrls ?? [])];
    this.domain = props.userPool.addDomain('AdminConsoleDomain', {
      cognitoDomain: {
        domainPrefix: config.adminConsoleDomainPrefix ?? `userprofile-${config.environment}-admin`,
      },
    });
    this.client = props.userPool.addClient('AdminConsole', {
      userPoolClientName: `userprofile-${config.environment}-admin-console`,
      // A single-page app is a public client: no secret; the code is bound to it by PKCE.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: this.origins.map((o) => `${o}/${PREFIX}/callback`),
        logoutUrls: this.origins.map((o) => `${o}/${PREFIX}/`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // An administrator signs in again each working day.
      refreshTokenValidity: Duration.hours(12),
    });
    replaceable(
      this.client,
      'a new id reaches config.json and the audience in the same deployment',
    );
    this.acknowledge();
  }

  /** The CSP: the console's own files, its API and Cognito to call, photos to show. */
  private policy(): string {
    const region = Stack.of(this).region;
    return [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' ${this.props.photosUrl}`,
      // The API's URL is not known yet (its functions trust this console's client): its region's.
      `connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com`,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
  }

  private makeDistribution(): cloudfront.Distribution {
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: `userprofile-${this.config.environment} admin console`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: this.policy(), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    // Deep links (`/admin/users/<id>`) are the console's page; `/` is its address.
    const spa = new cloudfront.Function(this, 'DeepLinks', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(`function handler(event) {
  var uri = event.request.uri;
  if (uri === '/' || uri === '/${PREFIX}') {
    return { statusCode: 301, statusDescription: 'Moved', headers: { location: { value: '/${PREFIX}/' } } };
  }
  if (uri.indexOf('/${PREFIX}/assets/') !== 0 && uri !== '/${PREFIX}/config.json') {
    event.request.uri = '/${PREFIX}/index.html';
  }
  return event.request;
}`),
    });
    return new cloudfront.Distribution(this, 'Cdn', {
      comment: `userprofile-${this.config.environment} admin console`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessLevels: [cloudfront.AccessLevel.READ],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          { function: spa, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
  }

  /** cdk-nag's findings that do not apply, each with its reason. */
  private acknowledge(): void {
    const acknowledgements: [Construct, string, string][] = [
      [
        this.bucket,
        'AwsSolutions-S1',
        'Built files only, written by each deployment (CloudTrail) and read through CloudFront.',
      ],
      [
        this.distribution,
        'AwsSolutions-CFR1',
        'Administrators work from anywhere: no geographic restriction; sign-in guards the data.',
      ],
      [
        this.distribution,
        'AwsSolutions-CFR2',
        'Static files of a page that shows nothing without a Cognito sign-in; the API it calls has the WAF.',
      ],
      [
        this.distribution,
        'AwsSolutions-CFR3',
        'No access logs for static files: the API logs every call an administrator makes.',
      ],
      [
        this.distribution,
        'AwsSolutions-CFR4',
        'The default *.cloudfront.net certificate, whose TLS policy CloudFront fixes (a custom domain lifts it: adminConsoleUrls).',
      ],
    ];
    for (const [construct, rule, reason] of acknowledgements) {
      Validations.of(construct).acknowledge({ id: rule, reason });
    }
  }

  /**
   * Deploys the built console and its `config.json` (the API at `apiUrl`, the Hosted UI, this
   * client): content-named assets cached for a year, the page and settings revalidated.
   */
  deploy(apiUrl: string): void {
    const built = deploy.Source.asset(CONSOLE_DIR, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the build runs here, with the workspace's Vite (`local`).
        image: DockerImage.fromRegistry('node'),
        local: { tryBundle: (outputDir) => (buildConsole(outputDir), true) },
      },
    });
    const common = {
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${PREFIX}/`,
      prune: false,
    };
    new deploy.BucketDeployment(this, 'Assets', {
      ...common,
      sources: [built],
      include: ['assets/*'],
      exclude: ['*'],
      cacheControl: [deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const settings = {
      apiUrl,
      auth: {
        mode: 'cognito',
        domain: this.domain.baseUrl(),
        clientId: this.client.userPoolClientId,
        redirectUri: `${this.origins.at(-1)}/${PREFIX}/callback`,
        logoutUri: `${this.origins.at(-1)}/${PREFIX}/`,
      },
    };
    const page = new deploy.BucketDeployment(this, 'Page', {
      ...common,
      sources: [built, deploy.Source.jsonData('config.json', settings)],
      include: ['index.html', 'config.json'],
      exclude: ['*'],
      cacheControl: [deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [`/${PREFIX}/index.html`, `/${PREFIX}/config.json`],
    });
    this.acknowledgeDeployment(page);
  }

  /** CDK's deployment function (one per stack, shared by every BucketDeployment): its findings. */
  private acknowledgeDeployment(deployment: deploy.BucketDeployment): void {
    const stack = Stack.of(this);
    const known = (value: string, token: string) => (Token.isUnresolved(value) ? token : value);
    const handler = stack.node.children.find((c) =>
      c.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    const bucket = stack.resolve(
      (this.bucket.node.defaultChild as s3.CfnBucket).logicalId,
    ) as string;
    const reasons: [string, string][] = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's deployment function logs with AWSLambdaBasicExecutionRole, AWS's policy for exactly that.",
      ],
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        'Resource::*',
        `Resource::<${bucket}.Arn>/*`,
        // The bootstrap's staging bucket, as cdk-nag prints it with the stack's region known or not.
        `Resource::arn:${known(stack.partition, '<AWS::Partition>')}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${known(stack.region, '<AWS::Region>')}/*`,
      ].map((finding): [string, string] => [
        `AwsSolutions-IAM5[${finding}]`,
        "CDK's grants to its deployment function: read the staged asset, write the console's own bucket (its files only), invalidate the console's distribution.",
      ]),
      ['AwsSolutions-L1', "The runtime of CDK's deployment function is CDK's to choose."],
    ];
    // Its log (CDK's own log group, kept by default): as long as the functions', gone with the stack.
    const log = handler?.node.tryFindChild('LogGroup') as logs.LogGroup | undefined;
    log?.applyRemovalPolicy(RemovalPolicy.DESTROY);
    if (log) {
      (log.node.defaultChild as logs.CfnLogGroup).retentionInDays = this.config.logRetentionDays;
    }
    for (const on of [deployment.handlerRole, handler].filter((c) => c !== undefined)) {
      for (const [id, reason] of reasons) Validations.of(on).acknowledge({ id, reason });
    }
  }
}

/** Marks a resource the replacement guard leaves out (replacement-guard.ts), saying why. */
function replaceable(construct: Construct, why: string): void {
  (construct.node.defaultChild as CfnResource).addMetadata(REPLACEABLE, why);
}

/** `vite build` of the console into `outDir`, as `pnpm start` builds it for the local server. */
function buildConsole(outDir: string): void {
  const vite = join(CONSOLE_DIR, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: CONSOLE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
