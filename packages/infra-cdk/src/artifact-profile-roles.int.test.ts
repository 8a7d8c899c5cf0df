import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { testClients } from '@userprofile/adapters-dynamo/testing';
import { scanBombJpeg } from '@userprofile/adapters-images/testing';
import { postUpload } from '@userprofile/adapters-s3/testing';
import { testUserId } from '@userprofile/domain/testing';
import { OPERATIONS } from './profile-functions';
import { statuses } from './testing/api-requests';
import { synthesizedAssembly } from './testing/cloud-assembly';
import { dynamoGrants } from './testing/function-roles';
import { ADMIN, MISSING, ProfileRoles, U1, U2 } from './testing/profile-roles';

const json = { 'content-type': 'application/json' };
const merge = { 'content-type': 'application/merge-patch+json' };
const body = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace' });

/**
 * `cdk synth` as a user runs it, then each profile function's asset under its own role: the
 * function's policy from the template, enforced by a proxy in front of DynamoDB Local. The
 * use-case paths run in order, each step on what the ones before it left.
 */
describe('the synthesized cloud assembly: each function under its own IAM policy', () => {
  const assembly = synthesizedAssembly();
  let roles: ProfileRoles;
  beforeAll(async () => {
    roles = await ProfileRoles.start(assembly);
  });
  afterAll(() => roles?.stop());
  const serve: ProfileRoles['serve'] = (operation, specs) => roles.serve(operation, specs);

  describe('answers every use-case path with its status, and no call is denied', () => {
    it('creates: replayed by idempotency key, a taken address and an existing profile refused', async () => {
      const { as } = roles;
      const replay = { ...as.u2, 'idempotency-key': 'k-1' };
      const created = await serve('create', [
        { method: 'POST', path: '/users', headers: as.u1, body: body('iam-1@example.com') },
        { method: 'POST', path: '/users', headers: replay, body: body('iam-2@example.com') },
        { method: 'POST', path: '/users', headers: replay, body: body('iam-2@example.com') },
        {
          method: 'POST',
          path: '/users',
          headers: replay,
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
    });

    it("reads, and an owner's address changed at the identity provider is never written by a read (#25)", async () => {
      const { as } = roles;
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
    });

    it("reads others' public profiles, in batches (BatchGetItem) and by handle (the guard's GetItem)", async () => {
      const { u3 } = roles.as;
      const publicReads = await serve('get', [
        { method: 'GET', path: `/users/${U1}/public`, headers: u3 },
        { method: 'GET', path: '/users/public', query: { ids: `${U1},${MISSING}` }, headers: u3 },
        { method: 'GET', path: '/users/public', query: { username: 'nobody' }, headers: u3 },
      ]);
      expect(statuses(publicReads)).toEqual([200, 200, 200]);
      expect(JSON.parse(publicReads[1]!.body)).toMatchObject({ missing: [MISSING] });
    });

    it('updates by PUT and PATCH, conditionally or not, and moves the address with a newer token', async () => {
      const { as } = roles;
      const put = (headers: Record<string, string>, change: object, path = '/users/me') => ({
        method: 'PUT',
        path,
        headers: { ...headers, ...json },
        body: change,
      });
      const patch = (headers: Record<string, string>, change: object) => ({
        method: 'PATCH',
        path: '/users/me',
        headers: { ...headers, ...merge },
        body: change,
      });
      const changed = await serve('update', [
        put({ ...as.u1, 'if-match': '"1"' }, { lastName: 'King' }),
        put(as.u1, { lastName: 'Byron' }),
        patch({ ...as.u1, 'if-match': '"3"' }, { metadata: { theme: 'dark' } }),
        patch(as.u1, { active: false }),
        put(as.u1New, { email: 'iam-1-new@example.com' }),
        put(as.u1Taken, { lastName: 'Taken' }),
        put({ ...as.u1, 'if-match': '"1"' }, { lastName: 'X' }),
        put(as.admin, { lastName: 'X' }, `/users/${MISSING}`),
      ]);
      expect(statuses(changed)).toEqual([200, 200, 200, 200, 200, 409, 412, 404]);
      expect(JSON.parse(changed[4]!.body)).toMatchObject({
        email: 'iam-1-new@example.com',
        version: 6,
      });
    });

    it('lists, filters, searches and pages for administrators', async () => {
      const { admin } = roles.as;
      const listed = await serve('list', [
        { method: 'GET', path: '/users', query: { limit: '2' }, headers: admin },
        { method: 'GET', path: '/users', query: { active: 'false' }, headers: admin },
        { method: 'GET', path: '/users', query: { email: 'iam-2@example.com' }, headers: admin },
        { method: 'GET', path: '/users', query: { email: 'nobody@example.com' }, headers: admin },
        // The search, through the same function: its index's Query and the page's BatchGetItem.
        { method: 'GET', path: '/users/search', query: { email: 'iam-2' }, headers: admin },
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
          headers: admin,
        },
      ]);
      expect(next!.statusCode).toBe(200);
      expect(JSON.parse(next!.body)).toMatchObject({ count: 1 });
    });

    it("suspends through the update function; the history through the get function, the suspended through the list's (#25)", async () => {
      // An administrator suspends U2 with a reason and an end (#25).
      const { as } = roles;
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
    });

    it('deletes, conditionally or not', async () => {
      const { as } = roles;
      const removed = await serve('delete', [
        { method: 'DELETE', path: '/users/me', headers: { ...as.u2, 'if-match': '"1"' } },
        { method: 'DELETE', path: '/users/me', headers: as.u3 },
        { method: 'DELETE', path: `/users/${MISSING}`, headers: as.admin },
        { method: 'DELETE', path: '/users/me', headers: { ...as.u1, 'if-match': '"1"' } },
      ]);
      expect(statuses(removed)).toEqual([204, 204, 404, 412]);
    });

    it('keeps a deleted and re-created user suspended (#25, finding 1), until an admin lifts it', async () => {
      const { as } = roles;
      const [recreated] = await serve('create', [
        { method: 'POST', path: '/users', headers: as.u2, body: body('iam-2@example.com') },
      ]);
      expect(JSON.parse(recreated!.body)).toMatchObject({
        blocked: true,
        suspension: { reason: 'FRAUD' },
      });
      const patch = { method: 'PATCH', path: '/users/me', headers: { ...as.u2, ...merge } };
      const lifted = await serve('update', [
        { ...patch, body: { firstName: 'X' } },
        { method: 'DELETE', path: `/users/${U2}/suspension`, headers: as.admin },
        { ...patch, body: { firstName: 'Free' } },
      ]);
      expect(statuses(lifted)).toEqual([403, 204, 200]);
    });

    it('serves the photo routes: a ticket, a commit of an upload never made, a removal', async () => {
      // The removal of a photo set in the table here: a commit needs sharp's arm64 binary, which
      // cannot load on this machine; commits are proven on the same code by the HTTP suites.
      const photoId = testUserId(396);
      await testClients().documentClient.send(
        new UpdateCommand({
          TableName: roles.table.tableName,
          Key: { userId: U1 },
          UpdateExpression: 'SET photo = :photo, version = version + :one',
          ExpressionAttributeValues: {
            ':photo': { id: photoId, updatedAt: '2026-12-01T00:00:00.000Z' },
            ':one': 1,
          },
        }),
      );
      const headers = { ...roles.as.u1New, ...json };
      const photos = await serve('photo', [
        {
          method: 'POST',
          path: '/users/me/photo',
          headers,
          body: { contentType: 'image/jpeg', contentLength: 1000 },
        },
        { method: 'PUT', path: '/users/me/photo', headers, body: { uploadId: testUserId(395) } },
        { method: 'DELETE', path: '/users/me/photo', headers: roles.as.u1New },
      ]);
      expect(statuses(photos)).toEqual([201, 422, 204]);
      // Read back as deployed: through the function behind `GET /users/{userId}`.
      const [after] = await serve('get', [
        { method: 'GET', path: '/users/me', headers: roles.as.u1New },
      ]);
      expect(after!.statusCode).toBe(200);
      expect(JSON.parse(photos[0]!.body)).toMatchObject({
        method: 'POST',
        fields: { key: expect.stringMatching(new RegExp(`^uploads/${U1}/`)) },
      });
      expect(JSON.parse(photos[1]!.body)).toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
      expect(JSON.parse(after!.body)).not.toHaveProperty('photo');
    });

    it('refuses a JPEG scan bomb committed through the photo asset, and deletes its upload', async () => {
      // Refused from its markers (no worker, no sharp: neither could start on this machine from
      // the arm64 asset).
      const bomb = scanBombJpeg(1_000);
      const headers = { ...roles.as.u1New, ...json };
      const [ticket] = await serve('photo', [
        {
          method: 'POST',
          path: '/users/me/photo',
          headers,
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
        { method: 'PUT', path: '/users/me/photo', headers, body: { uploadId } },
      ]);
      expect(refused!.statusCode).toBe(422);
      expect(JSON.parse(refused!.body)).toMatchObject({
        code: 'PHOTO_INVALID',
        detail: expect.stringMatching(/JPEG of 1001 scans, more than 20/),
      });
      const keys = await roles.s3.keys();
      expect(keys.filter((key) => key.startsWith(`uploads/${U1}/`))).toEqual([]);
    });

    it('denied none of those calls, in any function', () => {
      expect([...roles.proxies.keys()]).toEqual(Object.keys(OPERATIONS));
      for (const [operation, proxy] of roles.proxies)
        expect([operation, proxy.denials]).toEqual([operation, []]);
    });
  });

  // After the use-case paths above, on what their calls used.
  describe('least privilege', () => {
    it('holds no DynamoDB grant that none of the routes used (least privilege both ways)', () => {
      for (const [operation, policy] of roles.statements) {
        const used = roles.proxies.get(operation)!.uses;
        const granted = dynamoGrants(policy);
        expect(granted.length).toBeGreaterThan(0);
        const { tableName, searchTableName } = roles.table;
        const tableOf = (arn: string) =>
          arn.endsWith(`:table/${searchTableName}`)
            ? 'search table'
            : arn.endsWith(`:table/${tableName}`)
              ? 'table'
              : arn;
        const unused = granted
          .filter((g) => !used.some((u) => u.action === g.action && u.resource === g.resource))
          .map((g) => `${g.action} on ${tableOf(g.resource)}`)
          .sort();
        // The repository's `update` may move an e-mail claim (a Put and a Delete of guard items)
        // and search items (Puts and Deletes in the search table); a photo's change never does
        // either, but is an `update` still.
        expect([operation, unused]).toEqual([
          operation,
          operation === 'photo'
            ? [
                'dynamodb:DeleteItem on search table',
                'dynamodb:DeleteItem on table',
                'dynamodb:PutItem on search table',
                'dynamodb:PutItem on table',
              ]
            : [],
        ]);
      }
    });

    it('kept every search item in the search table, none in the profile table (ADR 0025)', async () => {
      const [items, searchItems] = await Promise.all([
        roles.table.scanAll(),
        roles.table.scanSearch(),
      ]);
      expect(items.filter((i) => i.itemType === 'SEARCH')).toEqual([]);
      expect(searchItems.length).toBeGreaterThan(0);
      expect(searchItems.every((i) => i.itemType === 'SEARCH')).toBe(true);
    });

    it('denies what a role does not grant, as DynamoDB would (the check is live)', async () => {
      // A write sent to the read-only list function: BatchGetItem, GetItem and Query only.
      const before = roles.proxies.get('list')!.denials.length;
      const [res] = await serve('list', [
        {
          method: 'PUT',
          path: '/users/me',
          headers: { ...roles.as.u1New, ...json },
          body: { lastName: 'Denied' },
        },
      ]);
      expect(res!.statusCode).toBe(500);
      expect(roles.proxies.get('list')!.denials.slice(before)).toEqual([
        expect.stringMatching(/^dynamodb:UpdateItem on arn:aws:dynamodb:.*:table\//),
      ]);
    });
  });
});
