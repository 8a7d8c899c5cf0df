import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config';
import { adminConsole, adminConsoleCsp } from './admin-console';

const config = {
  auth: { mode: 'jwt' },
  photos: { publicUrl: 'http://127.0.0.1:4569/userprofile-photos/photos' },
} as AppConfig;

describe('the admin console at /admin/ (the local server)', () => {
  let dir: string;
  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  beforeAll(async () => {
    // A build as Vite lays it out: the page, and content-named assets.
    dir = mkdtempSync(join(tmpdir(), 'admin-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
    adminConsole(dir)(app, config);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page revalidated at every load, under a CSP with no inline script or style', async () => {
    const res = await app.inject('/admin/');
    expect([res.statusCode, res.body]).toEqual([200, '<!doctype html><title>console</title>']);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(adminConsoleCsp(config.photos.publicUrl));
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['content-security-policy']).not.toContain('unsafe');
    expect(res.headers['content-security-policy']).toContain(
      "img-src 'self' http://127.0.0.1:4569;",
    );
  });

  it('caches content-named assets for good, and a missing one is 404, not the page', async () => {
    const asset = await app.inject('/admin/assets/index-AbC123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/admin/assets/index-Gone00.js')).statusCode).toBe(404);
  });

  it('answers every other path under /admin/ with the page (deep links), and /admin with a redirect', async () => {
    const deep = await app.inject('/admin/users/0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01?x=1');
    expect([deep.statusCode, deep.body]).toEqual([200, '<!doctype html><title>console</title>']);
    const bare = await app.inject('/admin');
    expect([bare.statusCode, bare.headers.location]).toEqual([301, '/admin/']);
  });

  it('tells the console where the API is and how to sign in to it', async () => {
    const res = await app.inject('/admin/config.json');
    expect(res.json()).toEqual({ apiUrl: '', auth: { mode: 'token' } });
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves nothing without a build, and says how to make one', async () => {
    const bare = Fastify();
    const warnings: unknown[] = [];
    bare.log.warn = ((...args: unknown[]) => void warnings.push(args)) as typeof bare.log.warn;
    adminConsole(join(dir, 'missing'))(bare, config);
    expect((await bare.inject('/admin/')).statusCode).toBe(404);
    expect(JSON.stringify(warnings)).toContain('admin-console build');
    await bare.close();
  });
});
