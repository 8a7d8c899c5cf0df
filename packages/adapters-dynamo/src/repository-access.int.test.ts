import {
  CreateUserProfile,
  DeleteUserProfile,
  FindUserProfileByEmail,
  GetPublicProfiles,
  GetUserProfile,
  ListUserProfiles,
  ManageSuspensions,
  OPEN_ACCESS,
  PatchUserProfile,
  SearchUserProfiles,
  UpdateUserProfile,
  type UserProfileRepository,
} from '@userprofile/domain';
import { FixedClock, InMemoryPhotoStore, SequentialIds } from '@userprofile/domain/testing';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoProfileSearch } from './dynamo-profile-search';
import { DynamoUserProfileRepository } from './dynamo-user-profile-repository';
import {
  PROFILE_SEARCH_ACCESS,
  REPOSITORY_ACCESS,
  requestedAccess,
  type TableAccess,
} from './repository-access';
import { SEARCH_TABLE, USER_PROFILE_TABLE } from './table-definition';
import { createDynamoClients } from './dynamo-client';
import { createTestTable, testEndpoint } from './testing';

type Method = keyof UserProfileRepository | 'search';
/** The repository's declarations and the search's, by method. */
const ACCESS: Record<Method, readonly TableAccess[]> = {
  ...REPOSITORY_ACCESS,
  ...PROFILE_SEARCH_ACCESS,
};

/** What one repository method sent: the action and which table or index it named. */
interface Sent {
  method: Method | 'outside any method';
  action: string;
  on: TableAccess['on'] | `other resource ${string}`;
}

/**
 * The repository on DynamoDB Local, with every command it sends recorded (as IAM authorises it)
 * under the repository method that sent it.
 */
async function recordedRepository() {
  const table = await createTestTable();
  // Clients of its own: the recording middleware must not reach other tests' clients.
  const { documentClient } = createDynamoClients({
    endpoint: testEndpoint(),
    requestTimeoutMs: 5_000,
  });
  // Each table and index by the name a request gives it; none else is the repository's.
  const resources: Record<string, TableAccess['on']> = {
    [`${table.tableName}/`]: 'table',
    [`${table.tableName}/${USER_PROFILE_TABLE.listIndex.indexName}`]: 'listIndex',
    [`${table.searchTableName}/`]: 'searchTable',
    [`${table.searchTableName}/${SEARCH_TABLE.searchIndex.indexName}`]: 'searchIndex',
  };
  const current = new AsyncLocalStorage<Method>();
  const sent: Sent[] = [];
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      for (const access of requestedAccess(
        context.commandName ?? 'unknown',
        args.input as Record<string, unknown>,
      )) {
        const resource = `${access.tableName}/${access.indexName ?? ''}`;
        const on = resources[resource] ?? (`other resource ${resource}` as const);
        sent.push({
          method: current.getStore() ?? 'outside any method',
          action: access.action,
          on,
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordAccess' },
  );
  const recorded = <T extends object>(inner: T): T =>
    new Proxy(inner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function' || !(property in ACCESS)) return value;
        return (...args: unknown[]) =>
          current.run(property as Method, () =>
            (value as (...a: unknown[]) => unknown).apply(target, args),
          );
      },
    });
  const repository = recorded(new DynamoUserProfileRepository(documentClient, table));
  const search = recorded(new DynamoProfileSearch(documentClient, table));
  return { repository, search, sent, drop: table.drop };
}

describe('the DynamoDB actions each repository method declares', () => {
  let sent: Sent[];
  let drop: () => Promise<void>;
  const paths = new Map<string, number>();

  beforeAll(async () => {
    const recorded = await recordedRepository();
    ({ sent, drop } = recorded);
    const repo = recorded.repository;
    const clock = new FixedClock();
    const create = new CreateUserProfile(repo, clock, new SequentialIds());
    const get = new GetUserProfile(repo, clock);
    const find = new FindUserProfileByEmail(repo, clock);
    const list = new ListUserProfiles(repo, clock);
    const suspensions = new ManageSuspensions(repo, clock);
    const update = new UpdateUserProfile(repo, clock);
    const patch = new PatchUserProfile(repo, clock);
    const remove = new DeleteUserProfile(repo, new InMemoryPhotoStore());
    const publicProfiles = new GetPublicProfiles(repo, clock, 'full');
    const search = new SearchUserProfiles(recorded.search, repo, clock);
    const actor = OPEN_ACCESS;
    const input = (email: string) => ({ email, firstName: 'Ada', lastName: 'Lovelace' });

    /** Runs one use-case path, expecting it to succeed or to fail with this domain error code. */
    const path = async (name: string, run: () => Promise<unknown>, code?: string) => {
      const before = sent.length;
      const outcome = await run().then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? String(error),
      );
      expect([name, outcome]).toEqual([name, code ?? 'ok']);
      paths.set(name, sent.length - before);
    };

    const ada = await create.execute(actor, input('ada@example.com'));
    await path('create', () => create.execute(actor, input('bob@example.com')));
    await path('idempotent create', () =>
      create.executeIdempotently(actor, input('cy@example.com'), 'key-1'),
    );
    await path('replay', () => create.executeIdempotently(actor, input('cy@example.com'), 'key-1'));
    await path(
      'key reuse',
      () => create.executeIdempotently(actor, input('dee@example.com'), 'key-1'),
      'IDEMPOTENCY_KEY_REUSED',
    );
    await path(
      'taken e-mail on create',
      () => create.execute(actor, input('ADA@example.com')),
      'EMAIL_TAKEN',
    );
    await path('get', () => get.execute(actor, ada.userId));
    await path(
      'get of a missing id',
      () => get.execute(actor, '00000000-0000-4000-8000-000000000999'),
      'PROFILE_NOT_FOUND',
    );
    let cursor: string | undefined;
    await path('list, first page', async () => {
      cursor = (await list.execute(actor, { limit: 1 })).cursor;
    });
    expect(cursor).toBeDefined();
    await path('list, next page', () => list.execute(actor, { limit: 1, cursor }));
    await path('list, active filter', () => list.execute(actor, { active: false }));
    let next: string | undefined;
    await path('search, first page', async () => {
      next = (await search.execute(actor, { name: 'ada', limit: 1 })).cursor;
    });
    expect(next).toBeDefined();
    await path('search, next page', () =>
      search.execute(actor, { name: 'ada', limit: 1, cursor: next }),
    );
    await path('search longer than the prefixes kept', () =>
      search.execute(actor, { name: 'ada lovelace', createdAfter: '2000-01-01T00:00:00Z' }),
    );
    await path('find by e-mail', () => find.execute(actor, 'ada@example.com'));
    await path('find an unknown e-mail', () => find.execute(actor, 'nobody@example.com'));
    await path('update with If-Match', () =>
      update.execute(actor, ada.userId, { lastName: 'King' }, 1),
    );
    await path('update without If-Match', () =>
      update.execute(actor, ada.userId, { lastName: 'Byron' }),
    );
    await path(
      'update with a stale If-Match',
      () => update.execute(actor, ada.userId, { lastName: 'X' }, 1),
      'VERSION_CONFLICT',
    );
    await path('patch with If-Match', () =>
      patch.execute(actor, ada.userId, { metadata: { a: 1 } }, 3),
    );
    await path('patch without If-Match', () => patch.execute(actor, ada.userId, { active: false }));
    await path('e-mail change', () =>
      update.execute(actor, ada.userId, { email: 'ada@new.example.com' }),
    );
    await path(
      'e-mail change to a taken address',
      () => patch.execute(actor, ada.userId, { email: 'bob@example.com' }),
      'EMAIL_TAKEN',
    );
    await path(
      'update of a missing id',
      () => update.execute(actor, '00000000-0000-4000-8000-000000000999', { lastName: 'X' }),
      'PROFILE_NOT_FOUND',
    );
    await path('handle claim', () => patch.execute(actor, ada.userId, { username: 'ada' }));
    await path(
      'taken handle',
      () => create.execute(actor, { ...input('eve@example.com'), username: 'ADA' }),
      'USERNAME_TAKEN',
    );
    await path('public profiles by id', () => publicProfiles.many(actor, [ada.userId]));
    await path('public profile by handle', () => publicProfiles.byUsername(actor, 'Ada'));
    await path('suspend', () => suspensions.suspend(actor, ada.userId, { reason: 'SPAM' }));
    await path('list suspended', () => list.execute(actor, { suspended: true }));
    await path('suspension history', () => suspensions.history(actor, ada.userId));
    await path('lift', () => suspensions.lift(actor, ada.userId));
    await path(
      'delete with a stale If-Match',
      () => remove.execute(actor, ada.userId, 1),
      'VERSION_CONFLICT',
    );
    await path('delete', () => remove.execute(actor, ada.userId));
    await path(
      'delete of a missing id',
      () => remove.execute(actor, ada.userId),
      'PROFILE_NOT_FOUND',
    );
  }, 60_000);
  afterAll(() => drop());

  it('drives every use-case path, each sending commands', () => {
    expect(paths.size).toBe(34);
    for (const [name, count] of paths) expect([name, count > 0]).toEqual([name, true]);
    // A read of one profile, with its standing, is one request; a page's standing one more.
    expect(paths.get('get')).toBe(1);
    expect(paths.get('get of a missing id')).toBe(1);
  });

  it('sends no action a method does not declare, and none outside a method', () => {
    const undeclared = sent.filter(
      (s) =>
        s.method === 'outside any method' ||
        !ACCESS[s.method].some((a: TableAccess) => a.action === s.action && a.on === s.on),
    );
    expect(undeclared).toEqual([]);
  });

  it('declares nothing that no path uses', () => {
    const unused = Object.entries(ACCESS).flatMap(([method, accesses]) =>
      accesses
        .filter(
          (a) => !sent.some((s) => s.method === method && s.action === a.action && s.on === a.on),
        )
        .map((a) => `${method}: ${a.action} on ${a.on}`),
    );
    expect(unused).toEqual([]);
  });

  it('counts each item of a transaction as its own action', () => {
    expect(
      requestedAccess('TransactWriteCommand', {
        TransactItems: [
          { Put: { TableName: 't' } },
          { Delete: { TableName: 't' } },
          { ConditionCheck: { TableName: 't' } },
        ],
      }).map((a) => a.action),
    ).toEqual(['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem']);
  });
});
