import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { bucketLevelStatement } from './bucket-listing';
import { LAMBDA_MEMORY_MB } from './memory-size';
import { keptUnlessDestroyed } from './removal';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import {
  BUNDLE_OPTIONS,
  HTTP_PACKAGE,
  NODE_FLAGS_WRAPPER,
  bundleOf,
  bundlingFor,
  codeCacheCommands,
  functionEnvironment,
  sharpCopyCommand,
  validatorsModuleOf,
} from './app-bundle';
import { DEFAULT_CONFIG, type ApiFunction, type UserProfileStackConfig } from './config';
import type { ProfileTable } from './profile-table';
import {
  PROFILE_SEARCH_ACCESS,
  REPOSITORY_ACCESS,
  type TableAccess,
} from '@userprofile/adapters-dynamo/access';
import { ROUTES, type RouteDeclaration, type RouteId } from '@userprofile/adapters-http/routes';
import { PHOTO_STORE_ACCESS, type BucketAccess } from '@userprofile/adapters-s3/access';
import { RENDITIONS_PREFIX, UPLOADS_PREFIX } from '@userprofile/adapters-s3/keys';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { ServiceEnvironment } from '@userprofile/adapters-http/environment';

/** A resource's attribute as cdk-nag prints it in finding ids: `<LogicalId.Attribute>`. */
function nagToken(stack: Stack, value: string): string {
  const resolved = stack.resolve(value) as { 'Fn::GetAtt'?: [string, string] };
  const getAtt = resolved['Fn::GetAtt'];
  return getAtt ? `<${getAtt[0]}.${getAtt[1]}>` : value;
}

/**
 * The functions, as the seeds split the operations, and the routes each serves (declared once, in
 * adapters-http's `ROUTES`). API Gateway sends each route to its function, and each function may
 * do to the table exactly what its routes' repository methods declare (see `tableAccessOf`).
 */
export const OPERATIONS = {
  create: { name: 'create-user', routes: ['create'] },
  get: { name: 'get-user', routes: ['get', 'suspensions', 'publicProfile', 'publicProfiles'] },
  // Administrators' search is a read of the same kind as the list's.
  list: { name: 'list-users', routes: ['list', 'search'] },
  // An administrator's suspend and lift are writes of the same kind as theirs.
  update: { name: 'update-user', routes: ['update', 'patch', 'suspend', 'liftSuspension'] },
  delete: { name: 'delete-user', routes: ['remove'] },
  photo: { name: 'user-photo', routes: ['startPhotoUpload', 'commitPhoto', 'removePhoto'] },
} as const satisfies Record<string, { name: string; routes: readonly RouteId[] }>;
export type Operation = keyof typeof OPERATIONS;
// The configuration's function names (reserved concurrency) are these operations and the change
// feed's stream function, no more, no less.
type Unmatched = Exclude<Operation, ApiFunction> | Exclude<Exclude<ApiFunction, 'feed'>, Operation>;
const OPERATIONS_ARE_API_FUNCTIONS: [Unmatched] extends [never] ? true : Unmatched = true;
void OPERATIONS_ARE_API_FUNCTIONS;

/**
 * What a function may do to the table: the union of what its routes' repository and search
 * methods declare.
 */
function tableAccessOf(operation: Operation): TableAccess[] {
  const all = OPERATIONS[operation].routes.flatMap((route) => [
    ...ROUTES[route].repository.flatMap((method) => REPOSITORY_ACCESS[method]),
    ...((ROUTES[route] as RouteDeclaration).search ?? []).flatMap(
      (method) => PROFILE_SEARCH_ACCESS[method],
    ),
  ]);
  const key = (a: TableAccess) => `${a.on} ${a.action}`;
  return [...new Map(all.map((a) => [key(a), a])).values()].sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
}

/** What a function may do to the photo bucket: the union of what its routes' photo store methods declare. */
function bucketAccessOf(operation: Operation): BucketAccess[] {
  const all = OPERATIONS[operation].routes.flatMap((route) =>
    ((ROUTES[route] as RouteDeclaration).photoStore ?? []).flatMap(
      (method): readonly BucketAccess[] => PHOTO_STORE_ACCESS[method],
    ),
  );
  const key = (a: BucketAccess) => `${a.on} ${a.action}`;
  return [...new Map(all.map((a) => [key(a), a])).values()].sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
}

/** How a role's description names what it may act on. */
const RESOURCE_WORDS: Record<TableAccess['on'], string> = {
  table: 'table',
  listIndex: 'list index',
  searchTable: 'search table',
  searchIndex: 'search index',
};

/** A function that writes profiles or searches them uses the search table (ADR 0025). */
const usesSearchTable = (operation: Operation) =>
  tableAccessOf(operation).some((a) => a.on === 'searchTable' || a.on === 'searchIndex');

/** The functions whose routes decode images: more memory (and CPU) and time, sharp in the asset. */
const processesImages = (operation: Operation) =>
  OPERATIONS[operation].routes.some((route) => (ROUTES[route] as RouteDeclaration).processesImages);

/** Memory of the image-processing function: sharp decodes up to 40 megapixels. */
const IMAGE_FUNCTION_MEMORY_MB = 1769;

/**
 * Environments the photo-commit function may run at once by default. A commit holds one for at
 * most its decode budget (5 s) plus storage calls: 50 of them serve ~10 commits per second of 5 s
 * each. A burst beyond it is throttled rather than drained from everyone else.
 */
export const IMAGE_FUNCTION_CONCURRENCY = DEFAULT_CONFIG.reservedConcurrency.photo;

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
    /** The profile table and its list index, the search table and its index. */
    tables: ProfileTable,
    /** The authentication settings of the app (`AUTH_MODE` and the rest). */
    authEnvironment: ServiceEnvironment,
    /** The photo bucket and the base URL of its renditions. */
    photos: { readonly bucket: s3.IBucket; readonly publicUrl: string },
  ) {
    super(scope, id);
    const validators = validatorsModuleOf(config);

    const make = (operation: Operation): NodejsFunction => {
      const { name } = OPERATIONS[operation];
      const functionName = `userprofile-${config.environment}-${name}`;
      // Named by CloudFormation, not `/aws/lambda/<function>`: a log group kept after the stack
      // is gone can never collide with the next deployment's.
      const logGroup = new logs.LogGroup(this, `${operation}-logs`, {
        retention: config.logRetentionDays as logs.RetentionDays,
        removalPolicy: keptUnlessDestroyed(config),
      });
      const role = this.roleOf(operation, functionName, logGroup, tables, photos.bucket);
      const bucketAccess = bucketAccessOf(operation);
      const photoBundle = bucketAccess.length > 0;
      const images = processesImages(operation);
      const options = bundleOf(photoBundle ? 'lambda-photos' : 'lambda', validators);

      const fn = new NodejsFunction(this, operation, {
        functionName,
        entry: join(HTTP_PACKAGE, photoBundle ? 'src/lambda-photos.ts' : 'src/lambda.ts'),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_24_X,
        // A code cache is valid only for the Node binary that made it: keep that runtime version.
        ...(config.runtimeVersionArn
          ? { runtimeManagementMode: lambda.RuntimeManagementMode.manual(config.runtimeVersionArn) }
          : {}),
        architecture: lambda.Architecture.ARM_64,
        // Chosen by measurement under Lambda's CPU share: docs/benchmarks.md, section 5; decoding
        // photos gets a whole vCPU.
        memorySize: images ? IMAGE_FUNCTION_MEMORY_MB : LAMBDA_MEMORY_MB,
        // A burst (or an outage that slows every request) can hold at most this many
        // environments: the account's concurrency stays for everything else.
        reservedConcurrentExecutions: config.reservedConcurrency[operation],
        // Below API Gateway's 29 s integration limit, and far above the storage timeouts (~5 s);
        // a commit also moves up to 5 MiB and encodes three images.
        timeout: Duration.seconds(images ? 20 : 10),
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        environment: functionEnvironment({
          TABLE_NAME: tables.table.tableName,
          ...(usesSearchTable(operation)
            ? { SEARCH_TABLE_NAME: tables.searchTable.tableName }
            : {}),
          ENVIRONMENT: config.environment,
          CORS_ORIGINS: config.corsOrigins === '*' ? '*' : config.corsOrigins.join(','),
          LOG_LEVEL: 'info',
          PHOTOS_URL: photos.publicUrl,
          ...(photoBundle ? { PHOTOS_BUCKET: photos.bucket.bucketName } : {}),
          ...authEnvironment,
        }),
        depsLockFilePath: join(HTTP_PACKAGE, '../../pnpm-lock.yaml'),
        bundling: bundlingFor(options, (output) => [
          `node "${BUNDLE_OPTIONS.EAGER_MODULE_WRAPPERS}" "${output}/index.js"`,
          `cp "${join(HTTP_PACKAGE, NODE_FLAGS_WRAPPER)}" "${output}/${NODE_FLAGS_WRAPPER}"`,
          `chmod 755 "${output}/${NODE_FLAGS_WRAPPER}"`,
          // The photo bundle's one asset (deletion's too, which never loads it) carries sharp
          // and the worker process that runs it.
          ...(photoBundle
            ? [
                sharpCopyCommand(output),
                `node "${BUNDLE_OPTIONS.PHOTO_WORKER_BUNDLER}" "${output}"`,
              ]
            : []),
          ...(config.codeCacheImage ? codeCacheCommands(config.codeCacheImage, output) : []),
        ]),
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permission.',
      });
      return fn;
    };

    // In the order OPERATIONS declares them (the template's order).
    this.functions = Object.fromEntries(
      (Object.keys(OPERATIONS) as Operation[]).map((operation) => [operation, make(operation)]),
    ) as Record<Operation, NodejsFunction>;
  }

  /**
   * The role of one operation's function: its logs, and exactly the table and bucket actions its
   * routes declare (each on the profile table, its list index, the search table, its index, or
   * one prefix of the bucket).
   */
  private roleOf(
    operation: Operation,
    functionName: string,
    logGroup: logs.LogGroup,
    tables: ProfileTable,
    bucket: s3.IBucket,
  ): iam.Role {
    const stack = Stack.of(this);
    const access = tableAccessOf(operation);
    const actionsOn = (on: TableAccess['on']) =>
      access.filter((a) => a.on === on).map((a) => a.action);
    const role = new iam.Role(this, `${operation}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: logs, traces, ${access.map((a) => `${a.action.slice('dynamodb:'.length)} on the ${RESOURCE_WORDS[a.on]}`).join(', ')}`,
    });
    logGroup.grantWrite(role);
    const { table, searchTable } = tables;
    const resources: Record<TableAccess['on'], string[]> = {
      table: [table.tableArn],
      listIndex: [`${table.tableArn}/index/${tables.listIndexName}`],
      searchTable: [searchTable.tableArn],
      searchIndex: [`${searchTable.tableArn}/index/${tables.searchIndexName}`],
    };
    for (const on of ['table', 'listIndex', 'searchTable', 'searchIndex'] as const) {
      const actions = actionsOn(on);
      if (actions.length > 0) {
        role.addToPolicy(new iam.PolicyStatement({ actions, resources: resources[on] }));
      }
    }
    const bucketAccess = bucketAccessOf(operation);
    const bucketResources = {
      uploads: bucket.arnForObjects(`${UPLOADS_PREFIX}*`),
      renditions: bucket.arnForObjects(`${RENDITIONS_PREFIX}*`),
    };
    const bucketArn = nagToken(stack, bucket.bucketArn);
    for (const on of ['uploads', 'renditions', 'bucket'] as const) {
      const actions = bucketAccess.filter((a) => a.on === on).map((a) => a.action);
      if (actions.length === 0) continue;
      if (on === 'bucket') {
        role.addToPolicy(bucketLevelStatement(bucket, bucketAccess)!);
        continue;
      }
      role.addToPolicy(new iam.PolicyStatement({ actions, resources: [bucketResources[on]] }));
      const prefix = on === 'uploads' ? UPLOADS_PREFIX : RENDITIONS_PREFIX;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason: `Objects under ${prefix} only, whose keys are random ids made per request: ${actions.join(', ')} as declared by the photo store methods of its routes.`,
      });
    }
    return role;
  }
}
