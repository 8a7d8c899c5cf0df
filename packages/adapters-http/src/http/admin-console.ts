import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { AppConfig } from '../config';

/** Where the local server finds the built console, relative to this package: its own build. */
const DEFAULT_DIR = '../admin-console/dist';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names what it builds into assets/ by content: such a file never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page and the settings are checked at every load, so a new build is seen at once. */
const REVALIDATE = 'no-cache';

/**
 * The console's policy: its own scripts and styles only (nothing inline), calls to this API,
 * photos from where renditions are served, no framing, no plugins, no base or form tricks.
 */
export function adminConsoleCsp(photosUrl: string): string {
  const photos = new URL(photosUrl).origin;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${photos}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The settings the console reads at start: this origin's API, and how to sign in to it. */
function consoleSettings(config: AppConfig) {
  // AUTH_MODE=none: the open API, nobody signs in; jwt: an administrator's token is pasted.
  return { apiUrl: '', auth: { mode: config.auth.mode === 'none' ? 'none' : 'token' } };
}

/** Every file of the build, by its path under /admin/, read once at start. */
function readBuild(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), readFileSync(path));
  }
  return files;
}

/**
 * The admin console (packages/admin-console, built by `pnpm start`) at /admin/, for the local
 * server: hashed assets cached for good, the page revalidated, any other path under /admin/ the
 * page itself (the console routes deep links), all under the console's own CSP. Without a build
 * it says how to make one.
 */
export function adminConsole(given?: string) {
  return (app: FastifyInstance, config: AppConfig): void => {
    const dir = resolve(given ?? config.adminConsoleDir ?? DEFAULT_DIR);
    const built = existsSync(join(dir, 'index.html'));
    if (!built) {
      app.log.warn(
        { dir },
        'no admin console build: /admin is not served (pnpm --filter @userprofile/admin-console build)',
      );
      return;
    }
    const files = readBuild(dir);
    files.set('config.json', Buffer.from(JSON.stringify(consoleSettings(config))));
    const csp = adminConsoleCsp(config.photos.publicUrl);
    const send = (reply: FastifyReply, path: string) => {
      // A missing asset is missing; any other path is one of the console's pages.
      if (!files.has(path) && path.startsWith('assets/')) return reply.code(404).send();
      const file = files.has(path) ? path : 'index.html';
      return reply
        .header('content-security-policy', csp)
        .header('cache-control', file.startsWith('assets/') ? IMMUTABLE : REVALIDATE)
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .send(files.get(file));
    };
    // (With ignoreTrailingSlash, `/admin` is `/admin/` too: only the former is redirected.)
    app.get('/admin', (request, reply) =>
      request.url.split('?')[0]!.endsWith('/')
        ? send(reply, 'index.html')
        : reply.redirect('/admin/', 301),
    );
    app.get('/admin/*', (request, reply) =>
      send(reply, (request.params as { '*': string })['*'] || 'index.html'),
    );
    app.log.info({ dir }, 'admin console at /admin/');
  };
}
