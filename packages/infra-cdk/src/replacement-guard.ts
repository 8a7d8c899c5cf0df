/**
 * What a redeployment must never replace: the resources that hold users and photos, each with the
 * properties CloudFormation can only change by replacing it (a new, empty resource; the old one
 * kept by `UpdateReplacePolicy: Retain` but no longer used). Renaming a construct replaces too: its
 * logical id changes. Tests pin both; the stack policy below denies it in AWS.
 */
export const REPLACEMENT_ONLY = {
  // A new table: every profile, e-mail guard and suspension is left behind in the old one.
  'AWS::DynamoDB::Table': [
    'TableName',
    'KeySchema',
    'LocalSecondaryIndexes',
    'ImportSourceSpecification',
  ],
  // A new pool: a new issuer and new `sub`s, so every `userId` is orphaned.
  'AWS::Cognito::UserPool': [
    'UsernameAttributes',
    'AliasAttributes',
    'UsernameConfiguration',
    'Schema',
  ],
  // A new app client: a new client id, the mobile app's configuration and tokens void.
  'AWS::Cognito::UserPoolClient': ['UserPoolId', 'GenerateSecret'],
  // A new bucket: every stored photo gone from the CDN.
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The metadata key of a resource that holds nothing of the users' and is made anew by the same
 * deployment that replaces it (the admin console's bucket of built files, its app client whose id
 * goes into the same deployment's config.json): the guard leaves it out. Its value says why.
 */
export const REPLACEABLE = 'userprofile:replaceable';

type GuardedType = keyof typeof REPLACEMENT_ONLY;
interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

/** Each guarded resource of a template: its logical id and its replacement-only properties. */
export function guardedResources(
  template: CfnTemplate,
): { logicalId: string; type: GuardedType; pinned: Record<string, unknown> }[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type in REPLACEMENT_ONLY && !r.Metadata?.[REPLACEABLE])
    .map(([logicalId, r]) => {
      const type = r.Type as GuardedType;
      const pinned = Object.fromEntries(
        REPLACEMENT_ONLY[type].map((p) => [p, r.Properties?.[p] ?? null]),
      );
      return { logicalId, type, pinned };
    })
    .sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

/**
 * The CloudFormation stack policy of a template: every update allowed, but no update may replace
 * or delete a guarded resource; such a change set fails and rolls back instead. Applied by
 * `pnpm deploy:first` and `pnpm deploy:env` (bin/deploy.ts) after each deployment.
 */
export function stackPolicy(template: CfnTemplate) {
  return {
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['Update:Replace', 'Update:Delete'],
        Resource: guardedResources(template).map((r) => `LogicalResourceId/${r.logicalId}`),
      },
    ],
  };
}

/** The identifier CloudFormation imports each kept resource by. */
const IMPORT_IDENTIFIERS = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Cognito::UserPool': 'UserPoolId',
  'AWS::S3::Bucket': 'BucketName',
} as const;

/**
 * The `--resource-mapping` file of `cdk import` that brings the kept table, user pool and photo
 * bucket into a re-created stack, with `<placeholders>` for their physical ids.
 */
export function importMapping(template: CfnTemplate): Record<string, Record<string, string>> {
  return Object.fromEntries(
    guardedResources(template)
      .filter((r) => r.type in IMPORT_IDENTIFIERS)
      .map((r) => {
        const key = IMPORT_IDENTIFIERS[r.type as keyof typeof IMPORT_IDENTIFIERS];
        return [r.logicalId, { [key]: `<${key}>` }];
      }),
  );
}
