import { RemovalPolicy, type CfnElement } from 'aws-cdk-lib';
import { Annotations, CustomResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserProfileStackConfig } from './config';
import { keptUnlessDestroyed } from './removal';
import type { ServiceEnvironment } from '@userprofile/adapters-http/environment';

/**
 * Who may call the API: a Cognito user pool (made here, or imported by id from configuration)
 * with e-mail sign-in and a strong password policy, an app client for the mobile app (public: no
 * secret, SRP sign-in) and the admin group. The functions get the settings that make the app
 * verify the same tokens again (`AUTH_MODE=jwt`).
 */
export class ProfileAuth extends Construct {
  public readonly userPool: cognito.IUserPool;
  public readonly client: cognito.UserPoolClient;
  /** Token issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  public readonly issuer: string;
  /** The functions' environment for `AUTH_MODE=jwt`. */
  public readonly environment: ServiceEnvironment;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig) {
    super(scope, id);
    this.userPool = config.userPoolId ? this.importedPool(config.userPoolId) : this.newPool(config);
    this.client = this.userPool.addClient('MobileApp', {
      userPoolClientName: `userprofile-${config.environment}-mobile`,
      generateSecret: false,
      authFlows: { userSrp: true },
      // Sign-in is SRP from the app; no hosted UI, so no OAuth flows, callbacks or scopes.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    this.issuer = `https://cognito-idp.${this.userPool.env.region}.amazonaws.com/${this.userPool.userPoolId}`;

    this.environment = this.keysAtDeployTime(config);
  }

  /** Makes the functions accept the ID tokens of another app client of the pool too. */
  addAudience(clientId: string): void {
    this.environment.AUTH_AUDIENCE = `${this.environment.AUTH_AUDIENCE},${clientId}`;
  }

  /** An existing pool: its own settings and its admin group are the importer's to manage. */
  private importedPool(userPoolId: string): cognito.IUserPool {
    // Its region is in its id, and the issuer the functions trust must name that region, not the stack's default.
    const stack = Stack.of(this);
    const poolRegion = userPoolId.slice(0, userPoolId.indexOf('_'));
    if (!Token.isUnresolved(stack.region) && stack.region !== poolRegion) {
      Annotations.of(this).addError(
        `userPoolId ${userPoolId} is in ${poolRegion}, but the stack deploys to ${stack.region}: the app client is made in the pool, so deploy to the pool's region.`,
      );
    }
    return cognito.UserPool.fromUserPoolArn(
      this,
      'Users',
      stack.formatArn({
        service: 'cognito-idp',
        region: poolRegion,
        resource: 'userpool',
        resourceName: userPoolId,
      }),
    );
  }

  /** The pool of this stack, kept as the table is, with its admin group. */
  private newPool(config: UserProfileStackConfig): cognito.IUserPool {
    const retain = config.removalPolicy === 'retain';
    const pool = new cognito.UserPool(this, 'Users', {
      userPoolName: `userprofile-${config.environment}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // The users are data: kept as the table is (CDK's default would be a plain Retain, which
      // a rolled-back first deployment would leave behind).
      removalPolicy: keptUnlessDestroyed(config),
      // Cognito's own sender allows a few dozen messages a day: fine to try, not to launch.
      email: config.emailFrom
        ? cognito.UserPoolEmail.withSES({
            fromEmail: config.emailFrom,
            sesRegion: Stack.of(this).region,
            // A verified domain is the identity of every address in it.
            ...(config.emailIdentity ? { sesVerifiedDomain: config.emailIdentity } : {}),
          })
        : cognito.UserPoolEmail.withCognito(),
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // As the table's: never on a first deployment, whose rollback must delete the pool (ADR 0015).
      deletionProtection: retain && config.deletionProtection,
    });
    new cognito.CfnUserPoolGroup(this, 'Admins', {
      userPoolId: pool.userPoolId,
      groupName: config.adminGroup,
      description: 'May read, change, list and search every profile.',
      precedence: 0,
    });
    for (const [rule, reason] of [
      [
        'AwsSolutions-COG2',
        'MFA is optional (TOTP): a consumer mobile app cannot require it of every user; users can turn it on and the pool enforces it for them.',
      ],
      [
        'AwsSolutions-COG8',
        "The Plus feature plan (threat protection: risky sign-ins, compromised passwords) is priced per monthly active user: a deployment's choice, not a default. The pool is on Essentials.",
      ],
    ] as const) {
      Validations.of(pool).acknowledge({ id: rule, reason });
    }
    return pool;
  }

  /**
   * The pool's keys, fetched once per deployment and handed to the functions (AUTH_JWKS), with
   * the functions' whole `AUTH_MODE=jwt` environment.
   */
  private keysAtDeployTime(config: UserProfileStackConfig): Record<string, string> {
    const fetcher = new lambda.Function(this, 'JwksFetcher', {
      description: 'Fetches the user pool JWKS at deploy time for the API functions',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        readFileSync(join(__dirname, '../lambda/fetch-jwks.js'), 'utf8'),
      ),
      timeout: Duration.seconds(30),
      // Deploy-time logs: removed with the stack, never left behind by a rolled-back deployment.
      logGroup: new logs.LogGroup(this, 'JwksFetcherLogs', {
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    const provider = new cr.Provider(this, 'JwksProvider', {
      onEventHandler: fetcher,
      logGroup: new logs.LogGroup(this, 'JwksProviderLogs', {
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    const keys = new CustomResource(this, 'Jwks', {
      serviceToken: provider.serviceToken,
      properties: { JwksUrl: `${this.issuer}/.well-known/jwks.json` },
    });
    const acknowledgements: [Construct, string, string][] = [
      [
        fetcher,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "The deploy-time JWKS fetcher logs with AWSLambdaBasicExecutionRole, AWS's policy for exactly that; it has no other permission.",
      ],
      [
        provider,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's custom resource provider framework logs with AWSLambdaBasicExecutionRole.",
      ],
      [
        provider,
        `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fetcher.node.defaultChild as CfnElement)}.Arn>:*]`,
        "CDK's provider framework may invoke any version of the JWKS fetcher it was given (`:*`).",
      ],
    ];
    for (const [construct, rule, reason] of acknowledgements) {
      Validations.of(construct).acknowledge({ id: rule, reason });
    }
    return {
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: this.issuer,
      AUTH_AUDIENCE: this.client.userPoolClientId,
      AUTH_ADMIN_GROUP: config.adminGroup,
      AUTH_JWKS: keys.getAttString('Jwks'),
    } satisfies ServiceEnvironment;
  }
}
