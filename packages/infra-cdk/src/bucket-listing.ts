import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { BucketAccess } from '@userprofile/adapters-s3/access';
import { RENDITIONS_PREFIX, UPLOADS_PREFIX } from '@userprofile/adapters-s3/keys';

const PREFIXES = { uploads: UPLOADS_PREFIX, renditions: RENDITIONS_PREFIX } as const;

/**
 * The statement of the bucket-level actions in `access` (`s3:ListBucket`), limited with
 * `s3:prefix` to the parts its listings declare: a listing of anything else is denied. None when
 * `access` has no bucket-level action.
 */
export function bucketLevelStatement(
  bucket: s3.IBucket,
  access: readonly BucketAccess[],
): iam.PolicyStatement | undefined {
  const onBucket = access.filter((a) => a.on === 'bucket');
  if (onBucket.length === 0) return undefined;
  const listed = [...new Set(onBucket.map((a) => a.listing))];
  if (listed.includes(undefined)) {
    throw new Error('every bucket-level access must declare the part it lists (`listing`)');
  }
  return new iam.PolicyStatement({
    actions: [...new Set(onBucket.map((a) => a.action))],
    resources: [bucket.bucketArn],
    conditions: {
      StringLike: { 's3:prefix': listed.map((part) => `${PREFIXES[part!]}*`).sort() },
    },
  });
}
