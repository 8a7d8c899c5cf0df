import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * patches/fastify@5.12.8.patch and patches/find-my-way@9.10.1.patch change when things are loaded
 * (node:http2 and node:dns when a server listens, semver when a plugin's range needs it,
 * safe-regex2 when a route has a regular expression), never what is decided.
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
