import { PutObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoChangeEventStore,
  DynamoUserProfileRepository,
  DynamoWebhookRegistry,
} from '@userprofile/adapters-dynamo';
import {
  createEventTestTable,
  createTestTable,
  profileStreamRecord,
  testClients,
  testEndpoint,
} from '@userprofile/adapters-dynamo/testing';
import { scanBombJpeg } from '@userprofile/adapters-images/testing';
import { postUpload, startTestS3 } from '@userprofile/adapters-s3/testing';
import {
  IamEnforcingProxy,
  rolePolicyOf,
  TEST_ACCOUNT,
  type CfnTemplate,
  type Statement,
} from './iam-enforcing-proxy';
import { OPERATIONS, type Operation } from './profile-functions';
import type { RequestSpec } from '@userprofile/adapters-http/testing-events';
import { buildBundle, invokeBundle } from '@userprofile/adapters-http/testing-bundle';
import { TEST_ADMIN_GROUP, TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { applyUpdate, newUserProfile, withPhoto, type ChangeEvent } from '@userprofile/domain';
import { testUserId } from '@userprofile/domain/testing';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const packageDir = join(__dirname, '..');

const ADA = testUserId(301);
const ROOT = testUserId(399);

/**
 * `cdk synth` as a user runs it (offline, no AWS credentials), then the Lambda asset it would
 * deploy, loaded in a fresh Node process and driven with API Gateway REST events, on DynamoDB Local.
 */
describe('the synthesized cloud assembly', () => {
  let out: string;
  let template: CfnTemplate;
  let assets: { files: Record<string, { source: { path: string } }> };

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' };
    // A stack that keeps data must name who hears its alarms (else synth fails).
    const context = ['-c', 'environment=dev', '-c', 'alarmEmail=ops@example.com'];
    execFileSync('pnpm', ['run', '--silent', 'synth', '-o', out, ...context], {
      cwd: packageDir,
      env,
      stdio: 'pipe',
    });
    template = JSON.parse(readFileSync(join(out, 'UserProfile-dev.template.json'), 'utf8'));
    assets = JSON.parse(readFileSync(join(out, 'UserProfile-dev.assets.json'), 'utf8'));
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  function functionProps(functionName: string): Record<string, unknown> {
    const fn = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
    );
    if (!fn) throw new Error(`no function ${functionName}`);
    return fn.Properties;
  }

  /** The asset's exec wrapper, as the function's AWS_LAMBDA_EXEC_WRAPPER names it. */
  function wrapperOf(functionName: string): string {
    const env = (functionProps(functionName).Environment as { Variables: Record<string, string> })
      .Variables;
    const inTask = env.AWS_LAMBDA_EXEC_WRAPPER ?? '';
    expect(inTask).toMatch(/^\/var\/task\//);
    return join(dirname(assetOf(functionName)), inTask.slice('/var/task/'.length));
  }

  function assetOf(functionName: string): string {
    const fn = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === functionName,
    );
    const key = (fn?.Properties.Code as { S3Key: string }).S3Key;
    const asset = assets.files[key.replace(/\.zip$/, '')];
    if (!asset) throw new Error(`no asset for ${functionName}`);
    return join(out, asset.source.path, 'index.js');
  }

  /** The functions of the profile routes, which never touch photo storage. */
  const lean = ['create-user', 'get-user', 'list-users', 'update-user'].map(
    (n) => `userprofile-dev-${n}`,
  );
  /** Those whose routes touch photo storage: profile deletion, and the photo routes. */
  const photoNames = ['delete-user', 'user-photo'].map((n) => `userprofile-dev-${n}`);
  const names = [...lean, ...photoNames];

  it('deploys one bundle of the Fastify app behind the profile routes, without S3 or sharp', () => {
    const bundles = new Set(lean.map(assetOf));
    expect(bundles.size).toBe(1);
    const code = readFileSync([...bundles][0]!, 'utf8');
    expect(code.length).toBeGreaterThan(100_000); // a real bundle, not a stub
    // Credentials come from the environment: no STS or SSO client of the SDK's default chain.
    expect(code).not.toMatch(/AssumeRoleWithWebIdentity|SSOOIDC|GetRoleCredentials/);
    // No S3 client, presigner or image library in the profile routes' bundle.
    const photoCode = /PutObjectCommand|createPresignedPost|SharpImageProcessor|require\("sharp"\)/;
    expect(code.match(photoCode)?.[0]).toBeUndefined();
  });

  it('deploys the photo bundle behind deletion and the photo routes, with S3 and the presigner', () => {
    const code = readFileSync(assetOf(photoNames[0]!), 'utf8');
    expect(readFileSync(assetOf(photoNames[1]!), 'utf8')).toBe(code);
    expect(code).toMatch(/"PutObject"/);
    expect(code).toMatch(/"content-length-range"/);
    // Photos are decoded by a worker process beside the bundle, which alone loads sharp.
    expect(code).not.toMatch(/require\("sharp"\)/);
    const worker = readFileSync(join(dirname(assetOf(photoNames[1]!)), 'photo-worker.js'), 'utf8');
    expect(worker).toMatch(/require\("sharp"\)/);
    expect(worker).toMatch(/scans, more than/);
    expect(code).not.toMatch(/AssumeRoleWithWebIdentity|SSOOIDC|GetRoleCredentials/);
  });

  it('is byte for byte the bundles that the bundle tests and the benchmark build and measure', async () => {
    for (const [target, name] of [
      ['lambda', lean[0]!],
      ['lambda-photos', photoNames[0]!],
    ] as const) {
      const local = join(out, `${target}-options-build.js`);
      await buildBundle(target, { outfile: local, metafile: false });
      expect([target, readFileSync(assetOf(name)).equals(readFileSync(local))]).toEqual([
        target,
        true,
      ]);
    }
  });

  it("ships sharp's Linux arm64 binaries in the photo function's asset, and no other platform's", () => {
    const asset = dirname(assetOf('userprofile-dev-user-photo'));
    expect(dirname(assetOf('userprofile-dev-delete-user'))).toBe(asset);
    const img = join(asset, 'node_modules/@img');
    expect(readdirSync(img).sort()).toEqual([
      'colour',
      'sharp-libvips-linux-arm64',
      'sharp-linux-arm64',
    ]);
    const lib = join(img, 'sharp-linux-arm64/lib');
    const binary = readdirSync(lib).find((f) => f.endsWith('.node'));
    expect(binary).toMatch(/^sharp-linux-arm64-[\d.]+\.node$/);
    // ELF, 64-bit, little-endian, e_machine 183 = AArch64: it loads on Lambda's Graviton, not here.
    const header = readFileSync(join(lib, binary!)).subarray(0, 20);
    expect([...header.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(header[4]).toBe(2);
    expect(header.readUInt16LE(18)).toBe(183);
    const vips = readdirSync(join(img, 'sharp-libvips-linux-arm64/lib')).find((f) =>
      f.startsWith('libvips'),
    );
    expect(vips).toBeDefined();
    // The photo bundle requires sharp from the asset's node_modules; the lean one has none.
    expect(existsSync(join(asset, 'node_modules/sharp/package.json'))).toBe(true);
    expect(existsSync(join(dirname(assetOf(lean[0]!)), 'node_modules'))).toBe(false);
  });

  it('starts Node through the exec wrapper in the asset, with the V8 flags NODE_OPTIONS refuses', () => {
    const newSpace = (args: string[]) =>
      Number(
        execFileSync(
          args[0]!,
          [
            ...args.slice(1),
            '-e',
            "process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
          ],
          { encoding: 'utf8' },
        ),
      );
    for (const name of names) {
      const wrapper = wrapperOf(name);
      expect(statSync(wrapper).mode & 0o111).toBe(0o111); // executable, as Lambda needs
      expect(newSpace(['/bin/sh', wrapper, process.execPath])).toBeGreaterThan(
        2 * newSpace([process.execPath]),
      );
    }
  });

  it('has every function verify Cognito tokens (AUTH_MODE=jwt) from the stack, with no development key', () => {
    for (const name of names) {
      const fn = Object.values(template.Resources).find(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === name,
      );
      const env = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({ AUTH_MODE: 'jwt', AUTH_ADMIN_GROUP: 'admin' });
      expect(JSON.stringify(env.AUTH_ISSUER)).toContain('https://cognito-idp.');
      expect(env).not.toHaveProperty('AUTH_DEV_KEYS');
    }
  });

  it('serves create, get, list, update and delete through that bundle in jwt mode, with tokens minted by the test', async () => {
    const t = await createTestTable();
    const issuer = await TestIssuer.start();
    try {
      const events = await import('@userprofile/adapters-http/testing-events');
      const user = {
        authorization: `Bearer ${await issuer.idToken(ADA, { email: 'artifact@example.com' })}`,
      };
      const admin = {
        authorization: `Bearer ${await issuer.idToken(ROOT, { groups: [TEST_ADMIN_GROUP] })}`,
      };
      const walk = events.crudWalk('artifact@example.com').map((spec) => ({
        ...spec,
        // The profile's id is the token's subject: known before the create, in every process.
        path: spec.path.replace('{{userId}}', ADA),
        // Listing is for admins; everything else the user does to their own profile.
        headers: {
          ...spec.headers,
          ...(spec.path === '/users' && spec.method === 'GET' ? admin : user),
        },
      }));
      const refused: RequestSpec[] = [
        { method: 'GET', path: '/users/me' },
        { method: 'GET', path: '/users', headers: user },
        { method: 'GET', path: `/users/${ROOT}`, headers: user },
        { method: 'GET', path: '/users/me', headers: { authorization: 'Bearer not.a.token' } },
      ];
      const env = {
        TABLE_NAME: t.tableName,
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: testEndpoint(),
        AWS_REGION: 'us-east-1',
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        PHOTOS_BUCKET: 'photos-bucket',
        ...issuer.env(),
      };
      // Create, read, list and update through the profile routes' bundle; delete (and the read
      // after it) through the photo bundle, which deletes photos too.
      const toEvent = (spec: RequestSpec) => events.restEvent(spec, 'dev', true);
      const responses = [
        ...(await invokeBundle(assetOf(lean[0]!), walk.slice(0, 4).map(toEvent), env)),
        ...(await invokeBundle(assetOf(photoNames[0]!), walk.slice(4).map(toEvent), env)),
        ...(await invokeBundle(assetOf(lean[0]!), refused.map(toEvent), env)),
      ];
      expect(responses.map((r) => r.statusCode)).toEqual([
        201, 200, 200, 200, 204, 404, 401, 403, 404, 401,
      ]);
      expect(JSON.parse(responses[0]!.body)).toMatchObject({ userId: ADA });
      expect(responses[0]!.headers.location).toBe(`/users/${ADA}`);
      expect(JSON.parse(responses[2]!.body)).toMatchObject({ count: 1, users: [{ userId: ADA }] });
      expect(JSON.parse(responses[3]!.body)).toMatchObject({ lastName: 'King', version: 2 });
      expect(JSON.parse(responses[5]!.body)).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
      expect(responses[6]!.headers['www-authenticate']).toBe('Bearer realm="userprofile"');
      expect(JSON.parse(responses[7]!.body)).toMatchObject({ code: 'FORBIDDEN' });
      expect(issuer.fetches).toBe(3); // once per cold start: three processes
    } finally {
      await issuer.stop();
      await t.drop();
    }
  });

  describe('each function under its own IAM policy', () => {
    const U1 = testUserId(311);
    const U2 = testUserId(312);
    const U3 = testUserId(313);
    const ADMIN = testUserId(398);
    const MISSING = testUserId(397);
    let t: Awaited<ReturnType<typeof createTestTable>>;
    let issuer: TestIssuer;
    let as: Record<
      'u1' | 'u1New' | 'u1Taken' | 'u2' | 'u3' | 'u3Taken' | 'u3Moved' | 'admin',
      Record<string, string>
    >;
    const proxies = new Map<Operation, IamEnforcingProxy>();
    let s3: Awaited<ReturnType<typeof startTestS3>>;
    const statements = new Map<Operation, Statement[]>();

    beforeAll(async () => {
      t = await createTestTable();
      s3 = await startTestS3('test-photos', ['ASIAEXAMPLEEXAMPLE']);
      issuer = await TestIssuer.start();
      // Each user's ID token carries the e-mail their identity provider verified.
      // Issued `ago` seconds before now: an address moves only with a token newer than its last
      // change (#25).
      const bearer = async (sub: string, email: string, groups?: string[], ago = 90) => ({
        authorization: `Bearer ${await issuer.idToken(sub, {
          email,
          ...(groups ? { groups } : {}),
          claims: { iat: Math.floor(Date.now() / 1000) - ago },
        })}`,
      });
      as = {
        u1: await bearer(U1, 'iam-1@example.com'),
        // After U1 changed their address at the identity provider, to a free one and a taken one.
        u1New: await bearer(U1, 'iam-1-new@example.com', undefined, 60),
        u1Taken: await bearer(U1, 'iam-2@example.com', undefined, 30),
        u2: await bearer(U2, 'iam-2@example.com'),
        u3: await bearer(U3, 'iam-3@example.com'),
        // A verified address that another profile already holds (set by an admin, say).
        u3Taken: await bearer(U3, 'IAM-1@example.com'),
        u3Moved: await bearer(U3, 'iam-3-moved@example.com', undefined, 60),
        admin: await bearer(ADMIN, 'root@example.com', [TEST_ADMIN_GROUP]),
      };
      for (const operation of Object.keys(OPERATIONS) as Operation[]) {
        const name = `userprofile-dev-${OPERATIONS[operation].name}`;
        const policy = rolePolicyOf(template, name, t.tableName);
        statements.set(operation, policy);
        proxies.set(
          operation,
          await IamEnforcingProxy.start(
            testEndpoint(),
            policy,
            `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${name}-role/${name}`,
          ),
        );
      }
    });
    afterAll(async () => {
      for (const proxy of proxies.values()) await proxy.stop();
      await s3?.stop();
      await issuer?.stop();
      await t?.drop();
    });

    /** API Gateway's events for one function's routes, through its bundle, against its proxy. */
    async function serve(operation: Operation, specs: RequestSpec[]) {
      const events = await import('@userprofile/adapters-http/testing-events');
      return invokeBundle(
        assetOf(`userprofile-dev-${OPERATIONS[operation].name}`),
        specs.map((spec) => events.restEvent(spec, 'dev', true)),
        {
          TABLE_NAME: t.tableName,
          ENVIRONMENT: 'dev',
          DYNAMODB_ENDPOINT: proxies.get(operation)!.endpoint,
          AWS_REGION: 'us-east-1',
          // As Lambda hands them to a function: its role's credentials, in the environment.
          AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
          // The local S3 server takes an extra key id as its own secret (it checks upload policies'
          // signatures); the DynamoDB proxy reads only the key id.
          AWS_SECRET_ACCESS_KEY: 'ASIAEXAMPLEEXAMPLE',
          AWS_SESSION_TOKEN: 'example-session-token',
          LOG_LEVEL: 'warn',
          PHOTOS_URL: 'https://photos.example.com',
          // The photo store: a local S3 server (which enforces no IAM: the table's grants are
          // what this proves; the bucket's are held to the photo store's declarations by the
          // template tests).
          S3_ENDPOINT: s3.endpoint,
          PHOTOS_BUCKET: s3.bucket,
          // As deployed: the pool's keys delivered with the configuration.
          ...issuer.env({ AUTH_JWKS: issuer.jwks }),
        },
        wrapperOf(`userprofile-dev-${OPERATIONS[operation].name}`),
      );
    }
    const json = { 'content-type': 'application/json' };
    const body = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace' });
    const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);

    it('answers every use-case path with its status, and no call is denied', async () => {
      const created = await serve('create', [
        { method: 'POST', path: '/users', headers: as.u1, body: body('iam-1@example.com') },
        {
          method: 'POST',
          path: '/users',
          headers: { ...as.u2, 'idempotency-key': 'k-1' },
          body: body('iam-2@example.com'),
        },
        {
          method: 'POST',
          path: '/users',
          headers: { ...as.u2, 'idempotency-key': 'k-1' },
          body: body('iam-2@example.com'),
        },
        {
          method: 'POST',
          path: '/users',
          headers: { ...as.u2, 'idempotency-key': 'k-1' },
          body: { ...body('iam-2@example.com'), lastName: 'Other' },
        },
        { method: 'POST', path: '/users', headers: as.u3Taken, body: body('IAM-1@example.com') },
        { method: 'POST', path: '/users', headers: as.u3, body: body('iam-3@example.com') },
        { method: 'POST', path: '/users', headers: as.u1, body: body('iam-1@example.com') },
      ]);
      expect(statuses(created)).toEqual([201, 201, 201, 422, 409, 201, 409]);
      expect(created[2]!.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(created[4]!.body)).toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(JSON.parse(created[6]!.body)).toMatchObject({ code: 'PROFILE_EXISTS' });

      const read = await serve('get', [
        { method: 'GET', path: '/users/me', headers: as.u1 },
        { method: 'GET', path: `/users/${U1}`, headers: { ...as.u1, 'if-none-match': '"1"' } },
        { method: 'GET', path: `/users/${MISSING}`, headers: as.admin },
        // The owner's address changed at the identity provider: reads, alternating with the
        // older token, never write (#25): the get function's role may not, either.
        ...Array.from({ length: 6 }, (_, n) => ({
          method: 'GET' as const,
          path: '/users/me',
          headers: n % 2 === 0 ? as.u3Moved : as.u3,
        })),
      ]);
      expect(statuses(read)).toEqual([200, 304, 404, 200, 200, 200, 200, 200, 200]);
      for (const res of read.slice(3)) {
        expect(JSON.parse(res.body)).toMatchObject({ email: 'iam-3@example.com', version: 1 });
      }
      // Others' public profiles, read in batches (BatchGetItem) and by handle (the guard's GetItem).
      const publicReads = await serve('get', [
        { method: 'GET', path: `/users/${U1}/public`, headers: as.u3 },
        {
          method: 'GET',
          path: '/users/public',
          query: { ids: `${U1},${MISSING}` },
          headers: as.u3,
        },
        { method: 'GET', path: '/users/public', query: { username: 'nobody' }, headers: as.u3 },
      ]);
      expect(statuses(publicReads)).toEqual([200, 200, 200]);
      expect(JSON.parse(publicReads[1]!.body)).toMatchObject({ missing: [MISSING] });

      const merge = { 'content-type': 'application/merge-patch+json' };
      const changed = await serve('update', [
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1, ...json, 'if-match': '"1"' },
          body: { lastName: 'King' },
        },
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1, ...json },
          body: { lastName: 'Byron' },
        },
        {
          method: 'PATCH',
          path: '/users/me',
          headers: { ...as.u1, ...merge, 'if-match': '"3"' },
          body: { metadata: { theme: 'dark' } },
        },
        {
          method: 'PATCH',
          path: '/users/me',
          headers: { ...as.u1, ...merge },
          body: { active: false },
        },
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1New, ...json },
          body: { email: 'iam-1-new@example.com' },
        },
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1Taken, ...json },
          body: { lastName: 'Taken' },
        },
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1, ...json, 'if-match': '"1"' },
          body: { lastName: 'X' },
        },
        {
          method: 'PUT',
          path: `/users/${MISSING}`,
          headers: { ...as.admin, ...json },
          body: { lastName: 'X' },
        },
      ]);
      expect(statuses(changed)).toEqual([200, 200, 200, 200, 200, 409, 412, 404]);
      expect(JSON.parse(changed[4]!.body)).toMatchObject({
        email: 'iam-1-new@example.com',
        version: 6,
      });

      const listed = await serve('list', [
        { method: 'GET', path: '/users', query: { limit: '2' }, headers: as.admin },
        { method: 'GET', path: '/users', query: { active: 'false' }, headers: as.admin },
        { method: 'GET', path: '/users', query: { email: 'iam-2@example.com' }, headers: as.admin },
        {
          method: 'GET',
          path: '/users',
          query: { email: 'nobody@example.com' },
          headers: as.admin,
        },
        // The search, through the same function: its index's Query and the page's BatchGetItem.
        { method: 'GET', path: '/users/search', query: { email: 'iam-2' }, headers: as.admin },
      ]);
      expect(statuses(listed)).toEqual([200, 200, 200, 200, 200]);
      expect(JSON.parse(listed[4]!.body)).toMatchObject({ count: 1, users: [{ userId: U2 }] });
      const first = JSON.parse(listed[0]!.body) as { count: number; lastKey?: string };
      expect(first.count).toBe(2);
      expect(JSON.parse(listed[1]!.body)).toMatchObject({ count: 1, users: [{ userId: U1 }] });
      expect(JSON.parse(listed[2]!.body)).toMatchObject({ count: 1, users: [{ userId: U2 }] });
      expect(JSON.parse(listed[3]!.body)).toMatchObject({ count: 0 });
      const [next] = await serve('list', [
        {
          method: 'GET',
          path: '/users',
          query: { limit: '2', lastKey: first.lastKey! },
          headers: as.admin,
        },
      ]);
      expect(next!.statusCode).toBe(200);
      expect(JSON.parse(next!.body)).toMatchObject({ count: 1 });

      // An administrator suspends U2 with a reason and an end (#25): through the update
      // function; the history through the get function, the suspended list through the list's.
      const until = new Date(Date.now() + 86_400_000).toISOString();
      const suspended = await serve('update', [
        {
          method: 'PUT',
          path: `/users/${U2}/suspension`,
          headers: { ...as.admin, ...json },
          body: { reason: 'FRAUD', note: 'chargebacks', until },
        },
        {
          method: 'PATCH',
          path: '/users/me',
          headers: { ...as.u2, ...merge },
          body: { firstName: 'X' },
        },
      ]);
      expect(statuses(suspended)).toEqual([200, 403]);
      expect(JSON.parse(suspended[1]!.body)).toMatchObject({ code: 'ACCOUNT_SUSPENDED', until });
      const [history] = await serve('get', [
        { method: 'GET', path: `/users/${U2}/suspensions`, headers: as.admin },
      ]);
      expect(JSON.parse(history!.body)).toMatchObject({
        suspensions: [{ reason: 'FRAUD', until, suspendedBy: ADMIN }],
      });
      const [inForce] = await serve('list', [
        { method: 'GET', path: '/users', query: { suspended: 'true' }, headers: as.admin },
      ]);
      expect(JSON.parse(inForce!.body)).toMatchObject({ count: 1, users: [{ userId: U2 }] });

      const removed = await serve('delete', [
        { method: 'DELETE', path: '/users/me', headers: { ...as.u2, 'if-match': '"1"' } },
        { method: 'DELETE', path: '/users/me', headers: as.u3 },
        { method: 'DELETE', path: `/users/${MISSING}`, headers: as.admin },
        { method: 'DELETE', path: '/users/me', headers: { ...as.u1, 'if-match': '"1"' } },
      ]);
      expect(statuses(removed)).toEqual([204, 204, 404, 412]);

      // Deleted and re-created, U2 is suspended still (#25, finding 1), until an admin lifts it.
      const [recreated] = await serve('create', [
        { method: 'POST', path: '/users', headers: as.u2, body: body('iam-2@example.com') },
      ]);
      expect(JSON.parse(recreated!.body)).toMatchObject({
        blocked: true,
        suspension: { reason: 'FRAUD' },
      });
      const lifted = await serve('update', [
        {
          method: 'PATCH',
          path: '/users/me',
          headers: { ...as.u2, ...merge },
          body: { firstName: 'X' },
        },
        { method: 'DELETE', path: `/users/${U2}/suspension`, headers: as.admin },
        {
          method: 'PATCH',
          path: '/users/me',
          headers: { ...as.u2, ...merge },
          body: { firstName: 'Free' },
        },
      ]);
      expect(statuses(lifted)).toEqual([403, 204, 200]);

      // The photo routes: a ticket, a commit of an upload that was never made, and the removal
      // of a photo (set in the table here: a commit needs sharp's arm64 binary, which cannot
      // load on this machine; commits are proven on the same code by the HTTP suites).
      const photoId = testUserId(396);
      await testClients().documentClient.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: { userId: U1 },
          UpdateExpression: 'SET photo = :photo, version = version + :one',
          ExpressionAttributeValues: {
            ':photo': { id: photoId, updatedAt: '2026-12-01T00:00:00.000Z' },
            ':one': 1,
          },
        }),
      );
      const photos = await serve('photo', [
        {
          method: 'POST',
          path: '/users/me/photo',
          headers: { ...as.u1New, ...json },
          body: { contentType: 'image/jpeg', contentLength: 1000 },
        },
        {
          method: 'PUT',
          path: '/users/me/photo',
          headers: { ...as.u1New, ...json },
          body: { uploadId: testUserId(395) },
        },
        { method: 'DELETE', path: '/users/me/photo', headers: as.u1New },
      ]);
      expect(statuses(photos)).toEqual([201, 422, 204]);
      // Read back as deployed: through the function behind `GET /users/{userId}`.
      const [after] = await serve('get', [{ method: 'GET', path: '/users/me', headers: as.u1New }]);
      expect(after!.statusCode).toBe(200);
      expect(JSON.parse(photos[0]!.body)).toMatchObject({
        method: 'POST',
        fields: { key: expect.stringMatching(new RegExp(`^uploads/${U1}/`)) },
      });
      expect(JSON.parse(photos[1]!.body)).toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
      expect(JSON.parse(after!.body)).not.toHaveProperty('photo');

      // A JPEG scan bomb, committed through the photo asset: refused from its markers (no worker,
      // no sharp: neither could start on this machine from the arm64 asset), its upload deleted.
      const bomb = scanBombJpeg(1_000);
      const [ticket] = await serve('photo', [
        {
          method: 'POST',
          path: '/users/me/photo',
          headers: { ...as.u1New, ...json },
          body: { contentType: 'image/jpeg', contentLength: bomb.bytes.byteLength },
        },
      ]);
      const { uploadId, url, fields } = JSON.parse(ticket!.body) as {
        uploadId: string;
        url: string;
        fields: Record<string, string>;
      };
      expect((await postUpload({ url, fields }, bomb.bytes, 'image/jpeg')).status).toBe(204);
      const [refused] = await serve('photo', [
        {
          method: 'PUT',
          path: '/users/me/photo',
          headers: { ...as.u1New, ...json },
          body: { uploadId },
        },
      ]);
      expect(refused!.statusCode).toBe(422);
      expect(JSON.parse(refused!.body)).toMatchObject({
        code: 'PHOTO_INVALID',
        detail: expect.stringMatching(/JPEG of 1001 scans, more than 20/),
      });
      expect((await s3.keys()).filter((key) => key.startsWith(`uploads/${U1}/`))).toEqual([]);

      for (const [operation, proxy] of proxies)
        expect([operation, proxy.denials]).toEqual([operation, []]);
    }, 120_000);

    it('holds no DynamoDB grant that none of the routes used (least privilege both ways)', () => {
      for (const [operation, policy] of statements) {
        const used = proxies.get(operation)!.uses;
        const granted = policy
          .filter((s) => s.effect === 'Allow' && s.actions.some((a) => a.startsWith('dynamodb:')))
          .flatMap((s) =>
            s.actions.flatMap((action) => s.resources.map((resource) => ({ action, resource }))),
          );
        expect(granted.length).toBeGreaterThan(0);
        const unused = granted
          .filter((g) => !used.some((u) => u.action === g.action && u.resource === g.resource))
          .map((g) => g.action)
          .sort();
        // The repository's `update` may move an e-mail claim (a Put and a Delete of guard items);
        // a photo's change never does, but is an `update` still.
        expect([operation, unused]).toEqual([
          operation,
          operation === 'photo' ? ['dynamodb:DeleteItem', 'dynamodb:PutItem'] : [],
        ]);
      }
    });

    it('denies what a role does not grant, as DynamoDB would (the check is live)', async () => {
      // A write sent to the read-only list function: its role may only GetItem and Query.
      const before = proxies.get('list')!.denials.length;
      const [res] = await serve('list', [
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...as.u1New, ...json },
          body: { lastName: 'Denied' },
        },
      ]);
      expect(res!.statusCode).toBe(500);
      expect(proxies.get('list')!.denials.slice(before)).toEqual([
        expect.stringMatching(/^dynamodb:UpdateItem on arn:aws:dynamodb:.*:table\//),
      ]);
    });
  });

  it('serves the feed, history and webhook routes from its asset under its own IAM policy: every route answered, nothing denied, no grant unused', async () => {
    const name = 'userprofile-dev-change-feed-api';
    const t = await createTestTable();
    const events = await createEventTestTable();
    const issuer = await TestIssuer.start();
    const policy = rolePolicyOf(template, name, {
      'UserProfiles-dev': t.tableName,
      'UserProfileEvents-dev': events.tableName,
    });
    const proxy = await IamEnforcingProxy.start(
      testEndpoint(),
      policy,
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${name}-role/${name}`,
    );
    try {
      const profileId = testUserId(8201);
      // An event recorded as the stream function records it, older than the feed's settle window.
      const store = new DynamoChangeEventStore(testClients().documentClient, events.tableName);
      await store.append({
        id: `${profileId}.test.1`,
        type: 'profile.created',
        time: new Date().toISOString(),
        profileId,
        version: 1,
        actor: { kind: 'owner', id: profileId },
        changed: ['email'],
      });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const admin = {
        authorization: `Bearer ${await issuer.idToken(ROOT, { email: 'root@example.com', groups: [TEST_ADMIN_GROUP] })}`,
      };
      const owner = {
        authorization: `Bearer ${await issuer.idToken(profileId, { email: 'o@example.com' })}`,
      };
      const evs = await import('@userprofile/adapters-http/testing-events');
      const env = {
        TABLE_NAME: t.tableName,
        EVENT_TABLE_NAME: events.tableName,
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: proxy.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
        AWS_SESSION_TOKEN: 'example-session-token',
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        ...issuer.env({ AUTH_JWKS: issuer.jwks }),
      };
      const serve = (specs: RequestSpec[]) =>
        invokeBundle(
          assetOf(name),
          specs.map((spec) => evs.restEvent(spec, 'dev', true)),
          env,
          wrapperOf(name),
        );
      const json = { 'content-type': 'application/json' };
      const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);
      const [created, list, feed, history, ownHistory, refused] = await serve([
        {
          method: 'POST',
          path: '/webhooks',
          headers: { ...admin, ...json },
          // An address literal: no DNS in the test, and a public address passes the SSRF check.
          body: { url: 'https://93.184.215.14/hook', types: ['profile.updated'] },
        },
        { method: 'GET', path: '/webhooks', headers: admin },
        { method: 'GET', path: '/events', headers: admin },
        { method: 'GET', path: `/users/${profileId}/history`, headers: admin },
        { method: 'GET', path: '/users/me/history', headers: owner },
        { method: 'GET', path: '/events', headers: owner },
      ]);
      expect(statuses([created!, list!, feed!, history!, ownHistory!, refused!])).toEqual([
        201, 200, 200, 200, 200, 403,
      ]);
      const id = (JSON.parse(created!.body) as { webhook: { id: string } }).webhook.id;
      expect(JSON.parse(feed!.body).events.map((e: { id: string }) => e.id)).toEqual([
        `${profileId}.test.1`,
      ]);
      expect(JSON.parse(ownHistory!.body).events).toHaveLength(1);
      const admins = await serve(
        (['rotate-secret', 'disable', 'enable'] as const).map((action) => ({
          method: 'POST' as const,
          path: `/webhooks/${id}/${action}`,
          headers: admin,
        })),
      );
      const [removed] = await serve([
        { method: 'DELETE', path: `/webhooks/${id}`, headers: admin },
      ]);
      expect(statuses([...admins, removed!])).toEqual([200, 200, 200, 204]);
      expect(proxy.denials).toEqual([]);
      // Least privilege both ways: every DynamoDB grant was used by one of these routes.
      const granted = policy
        .filter((s) => s.effect === 'Allow' && s.actions.some((a) => a.startsWith('dynamodb:')))
        .flatMap((s) =>
          s.actions.flatMap((action) => s.resources.map((resource) => ({ action, resource }))),
        );
      const unused = granted.filter(
        (g) => !proxy.uses.some((u) => u.action === g.action && u.resource === g.resource),
      );
      expect(granted.length).toBeGreaterThan(0);
      expect(unused).toEqual([]);
      expect(granted.every((g) => g.resource.includes(events.tableName))).toBe(true);
    } finally {
      await proxy.stop();
      await issuer.stop();
      await events.drop();
      await t.drop();
    }
  }, 120_000);

  it('runs the stream function from its asset under its own IAM policy: events recorded, put on the bus, webhook deliveries queued, nothing denied', async () => {
    const name = 'userprofile-dev-change-feed';
    const events = await createEventTestTable();
    const proxy = await IamEnforcingProxy.start(
      testEndpoint(),
      rolePolicyOf(template, name, { 'UserProfileEvents-dev': events.tableName }),
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${name}-role/${name}`,
    );
    // EventBridge's PutEvents, as its JSON protocol answers it, recording what was put; and SQS's
    // SendMessageBatch (the webhook queue), recording what was queued.
    const put: { Source: string; DetailType: string; Detail: string; EventBusName: string }[] = [];
    const queued: {
      Id: string;
      MessageBody: string;
      MessageGroupId: string;
      MessageDeduplicationId: string;
    }[] = [];
    const bus = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch') {
          const { Entries } = JSON.parse(body) as { Entries: (typeof queued)[number][] };
          queued.push(...Entries);
          // The client checks each body's MD5, as SQS answers it.
          const successful = Entries.map((e) => ({
            Id: e.Id,
            MessageId: `m-${e.Id}`,
            MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex'),
          }));
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ Successful: successful, Failed: [] }));
          return;
        }
        const { Entries } = JSON.parse(body) as { Entries: typeof put };
        put.push(...Entries);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            FailedEntryCount: 0,
            Entries: Entries.map((_, i) => ({ EventId: `e${i}` })),
          }),
        );
      });
    });
    await new Promise<void>((r) => bus.listen(0, '127.0.0.1', r));
    try {
      const at = new Date();
      const created = newUserProfile(
        { email: 'stream@example.com', firstName: 'S', lastName: 'T' },
        { userId: testUserId(8301), now: at },
      );
      const changed = applyUpdate(created, { lastName: 'U' }, new Date(at.getTime() + 1000));
      const batch = {
        Records: [
          profileStreamRecord('1', undefined, created),
          profileStreamRecord('2', created, changed),
          profileStreamRecord('3', changed, undefined),
        ],
      };
      const busEnv = (fn: string) =>
        (functionProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(busEnv(name)).toMatchObject({ EVENT_SOURCE: 'userprofile' });
      expect(busEnv(name)).toHaveProperty('WEBHOOK_QUEUE_URL');
      const stub = `http://127.0.0.1:${(bus.address() as AddressInfo).port}`;
      await new DynamoWebhookRegistry(testClients().documentClient, events.tableName).put({
        id: 'wh-1',
        url: 'https://hooks.example.com/a',
        secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
        state: 'enabled',
        createdAt: at.toISOString(),
      });
      const [outcome] = await invokeBundle(assetOf(name), [batch], {
        EVENT_TABLE_NAME: events.tableName,
        EVENT_BUS_NAME: 'userprofile-dev-changes',
        EVENT_SOURCE: 'userprofile',
        AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: stub,
        // The SDK sends SQS calls to the queue URL's host.
        WEBHOOK_QUEUE_URL: `${stub}/${TEST_ACCOUNT}/userprofile-dev-webhooks.fifo`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
        AWS_SESSION_TOKEN: 'example-session-token',
        LOG_LEVEL: 'warn',
      });
      expect(outcome).toEqual({ batchItemFailures: [] });
      expect(put.map((e) => [e.EventBusName, e.Source, e.DetailType])).toEqual(
        ['profile.created', 'profile.updated', 'profile.deleted'].map((type) => [
          'userprofile-dev-changes',
          'userprofile',
          type,
        ]),
      );
      expect(put.map((e) => (JSON.parse(e.Detail) as ChangeEvent).version)).toEqual([1, 2, 3]);
      // One webhook delivery queued per event, in order, in the endpoint's group for the profile.
      const ids = put.map((e) => (JSON.parse(e.Detail) as ChangeEvent).id);
      expect(queued.map((e) => [e.MessageGroupId, e.MessageDeduplicationId])).toEqual(
        ids.map((id) => [`wh-1:${created.userId}`, `wh-1:${id}`]),
      );
      expect(proxy.denials).toEqual([]);
      // Recorded, then the deletion erased the history: the id-only deletion is what is left.
      expect([...new Set(proxy.uses.map((u) => u.action))].sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
    } finally {
      bus.close();
      await proxy.stop();
      await events.drop();
    }
  }, 120_000);

  it('runs the webhook function from its asset under its own IAM policy: delivered, retried by visibility with its group held, given up and marked failing, nothing denied, every grant used', async () => {
    const name = 'userprofile-dev-change-feed-webhooks';
    const env = (functionProps(name).Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(Object.keys(env).sort()).toEqual([
      'ENVIRONMENT',
      'EVENT_TABLE_NAME',
      'LOG_LEVEL',
      'WEBHOOK_QUEUE_URL',
    ]);
    const events = await createEventTestTable();
    const proxy = await IamEnforcingProxy.start(
      testEndpoint(),
      rolePolicyOf(template, name, { 'UserProfileEvents-dev': events.tableName }),
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${name}-role/${name}`,
    );
    // The receivers (200 at /good, 500 at /bad), and SQS's JSON protocol as far as the function
    // calls it (ChangeMessageVisibility), recording the calls; the SDK calls the queue URL's host.
    const delivered: string[] = [];
    const sqsCalls: { target: string; input: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target.startsWith('AmazonSQS.')) {
          sqsCalls.push({ target, input: JSON.parse(body) as Record<string, unknown> });
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
          return;
        }
        delivered.push(`${req.url} ${String(req.headers['webhook-id'])}`);
        res.writeHead(req.url === '/good' ? 200 : 500).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const queueUrl = `${base}/${TEST_ACCOUNT}/userprofile-dev-webhooks.fifo`;
    try {
      const registry = new DynamoWebhookRegistry(testClients().documentClient, events.tableName);
      for (const id of ['good', 'bad']) {
        await registry.put({
          id,
          url: `${base}/${id}`,
          secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
          state: 'enabled',
          createdAt: new Date().toISOString(),
        });
      }
      const now = Date.now();
      const record = (endpointId: string, profile: string, firstReceived: number, v = 1) => ({
        messageId: `${endpointId}/${profile}.v${v}`,
        receiptHandle: `handle ${endpointId}/${profile}.v${v}`,
        body: JSON.stringify({
          endpointId,
          event: {
            id: `${profile}.v${v}`,
            type: 'profile.updated',
            time: new Date(now).toISOString(),
            profileId: profile,
            version: v,
            actor: { kind: 'owner', id: profile },
            changed: ['lastName'],
          },
        }),
        attributes: {
          MessageGroupId: `${endpointId}:${profile}`,
          ApproximateFirstReceiveTimestamp: String(firstReceived),
        },
      });
      const [outcome] = await invokeBundle(
        assetOf(name),
        [
          {
            Records: [
              record('good', 'p1', now),
              record('bad', 'p2', now),
              // Held behind p2.v1 in its group: reported, and visible again at once.
              record('bad', 'p2', now, 2),
              // First tried 28 h ago: past the 27.6 h schedule.
              record('bad', 'p3', now - 28 * 3_600_000),
            ],
          },
        ],
        {
          EVENT_TABLE_NAME: events.tableName,
          WEBHOOK_QUEUE_URL: queueUrl,
          // Loopback receivers: this machine's (in AWS, ENVIRONMENT=dev refuses them).
          ENVIRONMENT: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'example-secret',
          AWS_SESSION_TOKEN: 'example-session-token',
        },
      );
      expect(outcome).toEqual({
        batchItemFailures: [{ itemIdentifier: 'bad/p2.v1' }, { itemIdentifier: 'bad/p2.v2' }],
      });
      expect(delivered.sort()).toEqual(['/bad p2.v1', '/bad p3.v1', '/good p1.v1']);
      expect(sqsCalls).toEqual([
        {
          target: 'AmazonSQS.ChangeMessageVisibility',
          input: { QueueUrl: queueUrl, ReceiptHandle: 'handle bad/p2.v1', VisibilityTimeout: 5 },
        },
        {
          target: 'AmazonSQS.ChangeMessageVisibilityBatch',
          input: {
            QueueUrl: queueUrl,
            Entries: [{ Id: '0', ReceiptHandle: 'handle bad/p2.v2', VisibilityTimeout: 0 }],
          },
        },
      ]);
      expect((await registry.get('bad'))?.state).toBe('failing');
      expect(proxy.denials).toEqual([]);
      // Listed the endpoints, read and marked the one given up: every DynamoDB grant used.
      expect([...new Set(proxy.uses.map((u) => u.action))].sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
    } finally {
      server.close();
      await proxy.stop();
      await events.drop();
    }
  }, 120_000);

  it('runs the daily photo sweep from its asset under its own IAM policy: the orphan deleted, the shown photo kept, nothing denied', async () => {
    const name = 'userprofile-dev-photo-sweep';
    const t = await createTestTable();
    const s3 = await startTestS3('sweep-photos', ['ASIAEXAMPLEEXAMPLE']);
    const proxy = await IamEnforcingProxy.start(
      testEndpoint(),
      rolePolicyOf(template, name, t.tableName),
      `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${name}-role/${name}`,
    );
    try {
      const shown = testUserId(8101);
      const orphan = testUserId(8102);
      const repository = new DynamoUserProfileRepository(testClients().documentClient, t.tableName);
      const now = new Date();
      const profile = newUserProfile(
        { email: 'sweep@example.com', firstName: 'S', lastName: 'W' },
        { userId: testUserId(8100), now },
      );
      await repository.create(profile);
      await repository.update(
        profile,
        withPhoto(profile, { id: shown, updatedAt: now.toISOString() }, now),
      );
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      for (const photoId of [shown, orphan]) {
        for (const size of [64, 256, 1024]) {
          const Key = `photos/${photoId}/${size}.webp`;
          await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'webp' }));
          const file = join(s3.directory, s3.bucket, `${Key}._S3rver_object`);
          utimesSync(file, twoHoursAgo, twoHoursAgo);
        }
      }
      const [outcome] = await invokeBundle(assetOf(name), [{}], {
        TABLE_NAME: t.tableName,
        ENVIRONMENT: 'dev',
        DYNAMODB_ENDPOINT: proxy.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example-secret',
        AWS_SESSION_TOKEN: 'example-session-token',
        LOG_LEVEL: 'warn',
        PHOTOS_URL: 'https://photos.example.com',
        S3_ENDPOINT: s3.endpoint,
        PHOTOS_BUCKET: s3.bucket,
        AUTH_MODE: 'none',
      });
      expect(outcome).toEqual({ examined: 2, deleted: 1 });
      expect(await s3.keys()).toEqual(
        [1024, 256, 64].map((size) => `photos/${shown}/${size}.webp`),
      );
      expect(proxy.denials).toEqual([]);
      expect(proxy.uses.map((u) => u.action)).toEqual(['dynamodb:Scan']);
    } finally {
      await proxy.stop();
      await s3.stop();
      await t.drop();
    }
  });
});
