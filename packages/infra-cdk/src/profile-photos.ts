import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RENDITIONS_PREFIX, UPLOADS_PREFIX } from '@userprofile/adapters-s3/keys';
import type { UserProfileStackConfig } from './config';
import { keptUnlessDestroyed } from './removal';

/**
 * Profile photos: a private bucket that clients upload to with presigned POSTs and whose
 * renditions a CloudFront distribution serves through origin access control (ADR 0011).
 * Uploads never committed are deleted after a day; the distribution's origin path is `/photos`,
 * so it can serve renditions only, never an upload.
 */
export class ProfilePhotos extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  /** The base URL of the renditions: the functions' `PHOTOS_URL`. */
  public readonly publicUrl: string;

  constructor(scope: Construct, id: string, config: UserProfileStackConfig) {
    super(scope, id);
    const removalPolicy = keptUnlessDestroyed(config);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: config.removalPolicy !== 'retain',
      lifecycleRules: [
        // Nothing orphaned: an upload is deleted on commit, or by this rule a day later.
        { id: 'expire-uploads', prefix: UPLOADS_PREFIX, expiration: Duration.days(1) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Apps on the web post uploads straight to the bucket.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: config.corsOrigins === '*' ? ['*'] : [...config.corsOrigins],
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
    });

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: `userprofile-${config.environment} photo renditions`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originPath: `/${RENDITIONS_PREFIX.replace(/\/$/, '')}`,
          originAccessLevels: [cloudfront.AccessLevel.READ],
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // Renditions never change under their URL (a new photo has a new id); the origin's
        // Cache-Control (an hour) bounds how long a deleted one is still served.
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    this.publicUrl = `https://${this.distribution.distributionDomainName}`;

    const acknowledge = (on: Construct, rule: string, reason: string) =>
      Validations.of(on).acknowledge({ id: rule, reason });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'Object reads are served and logged by CloudFront; writes are made only by the functions (CloudTrail) and by clients holding a ten-minute presigned POST for one key.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Profile photos are shown to the app’s users wherever they are: no geographic restriction.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static public images behind unguessable URLs, cached at the edge: the API has the WAF; a web ACL here would cost more than the origin requests it could stop.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'No access logs for public images: they would record every viewer’s IP address for nothing the service needs.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1 (a minimum protocol needs a custom domain and certificate); the images are public.',
    );
  }
}
