import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { buildTestApp, newUser } from '../testing/test-app';
import { DEV_KEY_FILE, loadOrCreateDevKey, mintDevToken } from './dev-keys';

describe('development tokens', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are trusted by a local server with AUTH_DEV_KEYS=true, admins included', async () => {
    const env = { AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'true', DATA_DIR: dir };
    const config = loadConfig(env);
    const sub = '0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e02';
    const user = await mintDevToken(config, { sub, email: 'userdev@example.com' });
    const admin = await mintDevToken(config, { sub: 'someone', admin: true });
    const { app } = await buildTestApp({}, env);
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/users',
        headers: { authorization: `Bearer ${user}` },
        payload: newUser('dev'),
      });
      expect(created.json()).toMatchObject({ userId: sub });
      const list = (token: string) =>
        app.inject({ url: '/users', headers: { authorization: `Bearer ${token}` } });
      expect((await list(user)).statusCode).toBe(403);
      expect((await list(admin)).json()).toMatchObject({ count: 1 });
    } finally {
      await app.close();
    }
  });

  it('are not trusted by a server with another key', async () => {
    const token = await mintDevToken(loadConfig({ DATA_DIR: join(dir, 'a') }), { sub: 'x' });
    const { app } = await buildTestApp(
      {},
      { AUTH_MODE: 'jwt', AUTH_DEV_KEYS: 'true', DATA_DIR: join(dir, 'b') },
    );
    try {
      const res = await app.inject({
        url: '/users/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('are refused outside a local environment', async () => {
    await expect(
      mintDevToken(
        loadConfig({ ENVIRONMENT: 'prod', DATA_DIR: dir, PHOTOS_URL: 'https://cdn.example.com' }),
        { sub: 'x' },
      ),
    ).rejects.toThrow(/local machine only/);
  });

  it('keep one key, readable by its owner only', () => {
    const first = loadOrCreateDevKey(dir);
    expect(loadOrCreateDevKey(dir)).toEqual(first);
    expect(statSync(join(dir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(first.publicJwks.keys[0]).not.toHaveProperty('d');
  });
});
