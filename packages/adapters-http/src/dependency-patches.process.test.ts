import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * patches/fastify@5.12.8.patch, find-my-way@9.10.1.patch and pino@10.4.0.patch change when things
 * are loaded (node:http2 and node:dns when a server listens, semver when a plugin's range needs
 * it, safe-regex2 when a route has a regular expression, worker_threads for an asynchronous log
 * destination), never what is decided.
 */
describe('the patched Fastify', () => {
  const major = Fastify().version.split('.')[0]!;
  const plugin = (fastify: string) =>
    fp(async () => undefined, { fastify, name: `plugin-for-${fastify}` });
  const register = async (range: string) => {
    const app = Fastify();
    await app.register(plugin(range));
    await app.ready();
    await app.close();
  };

  it.each([`${major}.x`, `>=${major}.0.0`, `^${major}.0.0`, `${major}.x || 99.x`])(
    'registers a plugin declaring %s',
    async (range) => {
      await expect(register(range)).resolves.toBeUndefined();
    },
  );

  it.each([`${Number(major) - 1}.x`, `${Number(major) + 1}.x`, `<${major}.0.0`, '>=99'])(
    'refuses a plugin declaring %s',
    async (range) => {
      await expect(register(range)).rejects.toMatchObject({
        code: 'FST_ERR_PLUGIN_VERSION_MISMATCH',
      });
    },
  );

  it('still listens over HTTP/2 (node:http2 loaded when needed)', async () => {
    const app = Fastify({ http2: true });
    app.get('/', async () => ({ ok: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(app.server.constructor.name).toBe('Http2Server');
      expect((await app.inject({ url: '/' })).json()).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });
});

describe('the patched find-my-way', () => {
  const requireFromFastify = createRequire(require.resolve('fastify'));
  const routerFile = requireFromFastify.resolve('find-my-way');
  const isRegexSafe = createRequire(routerFile)('safe-regex2') as (regex: RegExp) => boolean;

  it('still refuses a route whose regular expression can backtrack without end', () => {
    const app = Fastify();
    expect(() => app.get('/users/:id(^(a+)+$)', async () => 'never')).toThrow(/is not safe/);
    expect(() => app.get('/users/:id(^\\d+$)', async () => 'fine')).not.toThrow();
  });

  it('has constant expressions that are safe (the check it no longer runs at every start)', () => {
    const source = readFileSync(routerFile, 'utf8');
    const constants = [
      ...source.matchAll(
        /^const (OPTIONAL_PARAM_REGEXP|ESCAPE_REGEXP|REMOVE_DUPLICATE_SLASHES_REGEXP) = \/(.+)\/(\w*)$/gm,
      ),
    ];
    expect(constants.map((m) => m[1])).toEqual([
      'OPTIONAL_PARAM_REGEXP',
      'ESCAPE_REGEXP',
      'REMOVE_DUPLICATE_SLASHES_REGEXP',
    ]);
    for (const [, name, pattern, flags] of constants) {
      expect([name, isRegexSafe(new RegExp(pattern!, flags))]).toEqual([name, true]);
    }
  });
});

describe('the patched pino', () => {
  it('still flushes an asynchronous destination when the process exits (worker_threads loaded then)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pino-patch-'));
    try {
      const file = join(dir, 'log');
      const script = `
        const pino = require(${JSON.stringify(require.resolve('pino'))});
        const fd = require('node:fs').openSync(process.argv[1], 'w');
        const log = pino(pino.destination({ dest: fd, sync: false, minLength: 4096 }));
        log.info('buffered until exit');
        process.exit(0);`;
      execFileSync(process.execPath, ['-e', script, file]);
      expect(readFileSync(file, 'utf8')).toContain('"msg":"buffered until exit"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
