import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ChangeFeed } from './change-feed';
import { AdminConsole } from './admin-console';
import type { UserProfileStackConfig } from './config';
import { ProfileApi } from './profile-api';
import { ProfileAuth } from './profile-auth';
import { ProfileFunctions } from './profile-functions';
import { ProfileFirewall } from './profile-firewall';
import { PhotoSweep } from './photo-sweep';
import { ProfileMonitoring } from './profile-monitoring';
import { ProfilePhotos } from './profile-photos';
import { ProfileTable } from './profile-table';

export interface UserProfileStackProps extends StackProps {
  readonly config: UserProfileStackConfig;
}

/** The whole service for one environment: table, functions, API, parameters, alarms, dashboard. */
export class UserProfileStack extends Stack {
  public readonly table: ProfileTable;
  /** Cognito sign-in; absent with `authMode: 'none'`. */
  public readonly auth?: ProfileAuth;
  public readonly functions: ProfileFunctions;
  public readonly photos: ProfilePhotos;
  public readonly api: ProfileApi;
  public readonly monitoring: ProfileMonitoring;
  /** The daily sweep of photo renditions no profile shows. */
  public readonly photoSweep: PhotoSweep;
  /** The WAF web ACL in front of the API; none with `waf=false`. */
  public readonly firewall?: ProfileFirewall;
  /** The change feed (ADR 0016): event table, stream function, feed and webhook routes. */
  public readonly changeFeed: ChangeFeed;
  /** The admin console; none without sign-in or with `adminConsole=false`. */
  public readonly adminConsole?: AdminConsole;

  constructor(scope: Construct, id: string, props: UserProfileStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('Environment', config.environment);
    Tags.of(this).add('Service', 'UserProfile');

    this.table = new ProfileTable(this, 'Data', config);
    this.auth = config.authMode === 'jwt' ? new ProfileAuth(this, 'Auth', config) : undefined;
    this.photos = new ProfilePhotos(this, 'Photos', config);
    this.adminConsole =
      this.auth && config.adminConsole
        ? new AdminConsole(this, 'AdminConsole', config, {
            userPool: this.auth.userPool,
            photosUrl: this.photos.publicUrl,
          })
        : undefined;
    if (this.adminConsole) this.auth?.addAudience(this.adminConsole.client.userPoolClientId);
    this.functions = new ProfileFunctions(
      this,
      'Functions',
      config,
      this.table,
      this.auth?.environment ?? { AUTH_MODE: 'none' },
      { bucket: this.photos.bucket, publicUrl: this.photos.publicUrl },
    );
    this.api = new ProfileApi(this, 'Http', config, this.functions, this.auth?.userPool);
    this.adminConsole?.deploy(this.api.api.url);
    this.firewall = config.waf
      ? new ProfileFirewall(this, 'Firewall', config, this.api.api.deploymentStage)
      : undefined;
    this.monitoring = new ProfileMonitoring(this, 'Monitoring', config, {
      table: this.table.table,
      indexNames: this.table.indexNames,
      searchTable: { table: this.table.searchTable, indexName: this.table.searchIndexName },
      functions: this.functions,
      api: this.api.api,
      webAcl: this.firewall?.webAcl,
    });
    this.photoSweep = new PhotoSweep(this, 'PhotoSweep', config, {
      table: this.table.table,
      photos: { bucket: this.photos.bucket, publicUrl: this.photos.publicUrl },
      alarmTopic: this.monitoring.topic,
    });
    this.changeFeed = new ChangeFeed(this, 'ChangeFeed', config, {
      table: this.table.table,
      alarmTopic: this.monitoring.topic,
      dashboard: this.monitoring.dashboard,
      api: {
        api: this.api.api,
        methodOptions: this.api.methodOptions,
        authEnvironment: this.auth?.environment ?? { AUTH_MODE: 'none' },
        photosUrl: this.photos.publicUrl,
      },
    });

    this.publish(config);
  }

  /** SSM parameters and stack outputs: what other tools and the mobile app read. */
  private publish(config: UserProfileStackConfig): void {
    const prefix = `/userprofile/${config.environment}`;
    new ssm.StringParameter(this, 'TableNameParameter', {
      parameterName: `${prefix}/table-name`,
      stringValue: this.table.table.tableName,
    });
    new ssm.StringParameter(this, 'ApiEndpointParameter', {
      parameterName: `${prefix}/api-endpoint`,
      stringValue: this.api.api.url,
    });
    new ssm.StringParameter(this, 'EnvironmentParameter', {
      parameterName: `${prefix}/environment`,
      stringValue: config.environment,
    });

    this.outputs(config);
  }

  /** What a deployment hands on: endpoints, names, ARNs, sign-in settings, the console's URL. */
  private outputs(config: UserProfileStackConfig): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description, exportName: `${this.stackName}-${id}` });
    output('ApiEndpoint', this.api.api.url, 'API Gateway endpoint URL');
    output('TableName', this.table.table.tableName, 'DynamoDB table name');
    output('TableArn', this.table.table.tableArn, 'DynamoDB table ARN');
    output(
      'SearchTableName',
      this.table.searchTable.tableName,
      'DynamoDB table of the search items (pnpm backfill-search --search-table)',
    );
    for (const [op, fn] of Object.entries(this.functions.functions)) {
      output(
        `${op[0]!.toUpperCase()}${op.slice(1)}FunctionArn`,
        fn.functionArn,
        `${op} Lambda function ARN`,
      );
    }
    output('Environment', config.environment, 'Environment name');
    output(
      'PhotoBucket',
      this.photos.bucket.bucketName,
      'S3 bucket of photo uploads and renditions',
    );
    output('PhotosUrl', this.photos.publicUrl, 'Base URL of photo renditions (CloudFront)');
    if (this.auth) {
      output('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool id');
      output(
        'UserPoolClientId',
        this.auth.client.userPoolClientId,
        'App client id for the mobile app',
      );
      output('TokenIssuer', this.auth.issuer, 'Issuer of the tokens the API accepts');
    }
    if (this.adminConsole) {
      output('AdminConsoleUrl', this.adminConsole.url, 'The admin console (Cognito sign-in)');
    }
  }
}
