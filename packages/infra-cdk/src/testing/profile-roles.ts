import { createTestTable } from '@userprofile/adapters-dynamo/testing';
import type { RequestSpec } from '@userprofile/adapters-http/testing-events';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { startTestS3 } from '@userprofile/adapters-s3/testing';
import { testUserId } from '@userprofile/domain/testing';
import type { IamEnforcingProxy, Statement } from '../iam-enforcing-proxy';
import { OPERATIONS, type Operation } from '../profile-functions';
import { bearer, serveRoutes } from './api-requests';
import { devFunction, type CloudAssembly } from './cloud-assembly';
import { profileTablesOf, ROLE_CREDENTIALS, startRoleProxy } from './function-roles';

export const U1 = testUserId(311);
export const U2 = testUserId(312);
const U3 = testUserId(313);
export const ADMIN = testUserId(398);
export const MISSING = testUserId(397);

/** Each user's ID token carries the e-mail their identity provider verified. */
async function tokens(issuer: TestIssuer) {
  // Issued `ago` seconds before now: an address moves only with a token newer than its last
  // change (#25).
  const as = (sub: string, email: string, groups?: string[], ago = 90) =>
    bearer(issuer, sub, {
      email,
      ...(groups ? { groups } : {}),
      claims: { iat: Math.floor(Date.now() / 1000) - ago },
    });
  return {
    u1: await as(U1, 'iam-1@example.com'),
    // After U1 changed their address at the identity provider, to a free one and a taken one.
    u1New: await as(U1, 'iam-1-new@example.com', undefined, 60),
    u1Taken: await as(U1, 'iam-2@example.com', undefined, 30),
    u2: await as(U2, 'iam-2@example.com'),
    u3: await as(U3, 'iam-3@example.com'),
    // A verified address that another profile already holds (set by an admin, say).
    u3Taken: await as(U3, 'IAM-1@example.com'),
    u3Moved: await as(U3, 'iam-3-moved@example.com', undefined, 60),
    admin: await as(ADMIN, 'root@example.com', [TEST_ADMIN_GROUP]),
  };
}

/**
 * The profile API's functions (OPERATIONS), each under its own role: a table, a local S3 server
 * for photos, a token issuer, and per operation an IAM-enforcing proxy with that function's role
 * policy from the synthesized template. `serve` sends API Gateway's events through the function's
 * asset (started through its exec wrapper) against its proxy.
 */
export class ProfileRoles {
  private constructor(
    readonly table: Awaited<ReturnType<typeof createTestTable>>,
    readonly s3: Awaited<ReturnType<typeof startTestS3>>,
    private readonly issuer: TestIssuer,
    readonly as: Awaited<ReturnType<typeof tokens>>,
    private readonly assembly: CloudAssembly,
    readonly proxies: Map<Operation, IamEnforcingProxy>,
    /** Each operation's role policy. */
    readonly statements: Map<Operation, Statement[]>,
  ) {}

  static async start(assembly: CloudAssembly): Promise<ProfileRoles> {
    const table = await createTestTable();
    const s3 = await startTestS3('test-photos', ['ASIAEXAMPLEEXAMPLE']);
    const issuer = await TestIssuer.start();
    const as = await tokens(issuer);
    const roles = new ProfileRoles(table, s3, issuer, as, assembly, new Map(), new Map());
    try {
      for (const operation of Object.keys(OPERATIONS) as Operation[]) {
        const name = devFunction(OPERATIONS[operation].name);
        const { proxy, policy } = await startRoleProxy(assembly, name, profileTablesOf(table));
        roles.statements.set(operation, policy);
        roles.proxies.set(operation, proxy);
      }
    } catch (error) {
      await roles.stop();
      throw error;
    }
    return roles;
  }

  async stop(): Promise<void> {
    for (const proxy of this.proxies.values()) await proxy.stop();
    await this.s3.stop();
    await this.issuer.stop();
    await this.table.drop();
  }

  /**
   * API Gateway's events for one function's routes, through its bundle, against its proxy; told
   * the search table only where the template tells the function of it (ADR 0025).
   */
  serve(operation: Operation, specs: RequestSpec[]) {
    const name = devFunction(OPERATIONS[operation].name);
    const { SEARCH_TABLE_NAME } = this.assembly.environmentOf(name);
    return serveRoutes(
      this.assembly.assetOf(name),
      specs,
      {
        TABLE_NAME: this.table.tableName,
        ...(SEARCH_TABLE_NAME === undefined
          ? {}
          : { SEARCH_TABLE_NAME: this.table.searchTableName }),
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: this.proxies.get(operation)!.endpoint,
        AWS_REGION: 'us-east-1',
        ...ROLE_CREDENTIALS,
        // The local S3 server takes an extra key id as its own secret (it checks upload policies'
        // signatures); the DynamoDB proxy reads only the key id.
        AWS_SECRET_ACCESS_KEY: 'ASIAEXAMPLEEXAMPLE',
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        // The photo store: a local S3 server (which enforces no IAM: the table's grants are
        // what this proves; the bucket's are held to the photo store's declarations by the
        // template tests).
        S3_ENDPOINT: this.s3.endpoint,
        PHOTOS_BUCKET: this.s3.bucket,
        // As deployed: the pool's keys delivered with the configuration.
        ...this.issuer.env({ AUTH_JWKS: this.issuer.jwks }),
      },
      this.assembly.wrapperOf(name),
    );
  }
}
