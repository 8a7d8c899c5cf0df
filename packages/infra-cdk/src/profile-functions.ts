import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { UserProfileStackConfig } from './config';

const requireFromHere = createRequire(__filename);
const httpPackage = dirname(requireFromHere.resolve('@userprofile/adapters-http/package.json'));
// The same esbuild choices as adapters-http's own bundle and its bundle tests.
const bundle = requireFromHere(join(httpPackage, 'bundle-options.cjs')) as {
  lambda: {
    target: string;
    minify: boolean;
    mainFields: string[];
    external: string[];
  };
};

/** An ARN prefix as cdk-nag prints it in finding ids (unresolved parts as `<AWS::...>`). */
function nagArn(stack: Stack): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:ssm:${region}:${account}`;
}

/** The operations, as the seeds split them, and what each may do to the table. */
export const OPERATIONS = {
  create: { name: 'create-user', actions: ['dynamodb:PutItem'], query: false },
  get: { name: 'get-user', actions: ['dynamodb:GetItem'], query: false },
  list: { name: 'list-users', actions: ['dynamodb:GetItem'], query: true },
  update: {
    name: 'update-user',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    query: false,
  },
  delete: {
    name: 'delete-user',
    actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
    query: false,
  },
} as const;
export type Operation = keyof typeof OPERATIONS;

/**
 * One Lambda per operation, all running the same Fastify app bundle; each has its own role with
 * exactly the table actions its routes use (the read functions cannot write), and its own logs.
 */
export class ProfileFunctions extends Construct {
  public readonly functions: Record<Operation, NodejsFunction>;

  constructor(
    scope: Construct,
    id: string,
    config: UserProfileStackConfig,
    table: dynamodb.Table,
    listIndexName: string,
    /** The authentication settings of the app (`AUTH_MODE` and the rest). */
    authEnvironment: Record<string, string>,
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    const parameterPath = `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:parameter/userprofile/${config.environment}`;

    const make = (operation: Operation): NodejsFunction => {
      const { name, actions, query } = OPERATIONS[operation];
      const functionName = `userprofile-${config.environment}-${name}`;
      const logGroup = new logs.LogGroup(this, `${operation}-logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy:
          config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${operation}-role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${functionName}: logs, traces, ${actions.join(', ')}${query ? ', Query on the list index' : ''}`,
      });
      logGroup.grantWrite(role);
      role.addToPolicy(
        new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
      );
      if (query) {
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: [`${table.tableArn}/index/${listIndexName}`],
          }),
        );
      }
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
          resources: [parameterPath, `${parameterPath}/*`],
        }),
      );

      const fn = new NodejsFunction(this, operation, {
        functionName,
        entry: join(httpPackage, 'src/lambda.ts'),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        // Below API Gateway's 29 s integration limit, and far above the storage timeouts (~5 s).
        timeout: Duration.seconds(10),
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        environment: {
          TABLE_NAME: table.tableName,
          ENVIRONMENT: config.environment,
          CORS_ORIGINS: config.corsOrigins === '*' ? '*' : config.corsOrigins.join(','),
          LOG_LEVEL: 'info',
          ...authEnvironment,
        },
        depsLockFilePath: join(httpPackage, '../../pnpm-lock.yaml'),
        bundling: {
          forceDockerBundling: false,
          minify: bundle.lambda.minify,
          sourceMap: false,
          target: bundle.lambda.target,
          format: OutputFormat.CJS,
          mainFields: bundle.lambda.mainFields,
          // Our pinned AWS SDK is bundled rather than whatever version the runtime carries; only
          // modules the app never loads stay out.
          externalModules: bundle.lambda.external,
          esbuildArgs: { '--legal-comments': 'none' },
        },
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permission.',
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArn(stack)}:parameter/userprofile/${config.environment}/*]`,
        reason:
          "Reads the environment's own SSM parameters under /userprofile/<environment>/, as the seeds grant.",
      });
      return fn;
    };

    this.functions = {
      create: make('create'),
      get: make('get'),
      list: make('list'),
      update: make('update'),
      delete: make('delete'),
    };
  }
}
