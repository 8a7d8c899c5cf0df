import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startService } from './testing/service';

const packageDir = join(__dirname, '..');
const photo = join(packageDir, '../../docs/sample-photo.jpg');
// The workspace's pinned compiler, run on the app's own files and node_modules.
const tsc = require.resolve('typescript/bin/tsc', { paths: [packageDir] });

/** An app's use of the client, with nothing but its public API: type-checked with and without the DOM. */
const WALK = `
import { ProblemError, ProfileClient, type UserProfile } from '@userprofile/client';

export async function walk(api: ProfileClient, photo: Uint8Array): Promise<Record<string, unknown>> {
  const run = crypto.randomUUID();
  const ada: UserProfile = await api.create({
    email: \`ada-\${run}@example.com\`,
    firstName: 'Ada',
    lastName: 'Lovelace',
  });
  await api.create({ email: \`grace-\${run}@example.com\`, firstName: 'Grace', lastName: 'Hopper' });
  const read = await api.get(ada.userId);
  const again = await api.get(ada.userId);
  const pages: number[] = [];
  for await (const page of api.pages({ limit: 1 })) pages.push(page.length);
  const updated = await api.update(ada.userId, { lastName: 'King' });
  const patched = await api.patch(ada.userId, { metadata: { lang: 'en' }, phoneNumber: null });
  const withPhoto = await api.setPhoto(ada.userId, photo, 'image/jpeg');
  await api.removePhoto(ada.userId);
  const etagBeforeDelete = api.etagOf(ada.userId);
  await api.delete(ada.userId);
  const gone = await api.get(ada.userId).catch((e: unknown) => e);
  return {
    version: ada.version,
    sameRead: JSON.stringify(read) === JSON.stringify(again),
    pages,
    updated: [updated.lastName, updated.version],
    patched: [patched.metadata, patched.version],
    photo: withPhoto.photo ? Object.keys(withPhoto.photo.urls).sort() : [],
    etagBeforeDelete,
    gone: gone instanceof ProblemError ? gone.code : String(gone),
  };
}
`;

/** Node's side: the file, the service's address, and every request with its answer's status. */
const MAIN = `
import { ProfileClient } from '@userprofile/client';
import { readFileSync } from 'node:fs';
import { walk } from './walk.js';

const requests: string[] = [];
const api = new ProfileClient({
  baseUrl: process.env.BASE_URL!,
  fetch: async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const condition = ['if-match', 'if-none-match']
      .map((name) => (request.headers.has(name) ? \` \${name}=\${request.headers.get(name)}\` : ''))
      .join('');
    requests.push(\`\${request.method} \${new URL(request.url).pathname}\${condition} -> \${response.status}\`);
    return response;
  },
});
const result = await walk(api, readFileSync(process.env.PHOTO!));
console.log(JSON.stringify({ ...result, requests }));
`;

const compilerOptions = {
  strict: true,
  target: 'ES2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  skipLibCheck: false,
};

/**
 * What users receive is what the tests run: the packed tarball, installed in an app outside the
 * workspace (openapi-fetch from the npm registry), type-checks there with the DOM library and
 * with Node's types alone, and walks the API under plain Node.
 */
describe('the packed @userprofile/client, installed in an app of its own', () => {
  let app: string;
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'client-app-'));
    service = await startService();
    // pnpm pack, as pnpm publish packs it: prepack builds dist/ afresh.
    execFileSync('pnpm', ['pack', '--pack-destination', app], { cwd: packageDir, stdio: 'pipe' });
    const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'client-app', private: true, type: 'module' }),
    );
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`, '@types/node@20'],
      { cwd: app, stdio: 'pipe' },
    );
    writeFileSync(join(app, 'walk.ts'), WALK);
    writeFileSync(join(app, 'main.ts'), MAIN);
    // A browser app: the DOM's types, not Node's.
    writeFileSync(
      join(app, 'tsconfig.dom.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, lib: ['ES2022', 'DOM'], types: [], noEmit: true },
        files: ['walk.ts'],
      }),
    );
    // A Node app: Node's types, no DOM; emitted to run.
    writeFileSync(
      join(app, 'tsconfig.node.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, lib: ['ES2022'], types: ['node'], outDir: 'out' },
        files: ['walk.ts', 'main.ts'],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  /** tsc's findings (none when it exits 0). */
  function compile(config: string): string {
    const run = spawnSync(process.execPath, [tsc, '-p', config], { cwd: app, encoding: 'utf8' });
    return `${run.stdout}${run.stderr}${run.status === 0 ? '' : `exit ${run.status}`}`;
  }

  it('type-checks with tsc --strict and the DOM library, without Node types', () => {
    expect(compile('tsconfig.dom.json')).toBe('');
  });

  it('type-checks with tsc --strict and Node types, without the DOM library, and walks the API under plain node', async () => {
    expect(compile('tsconfig.node.json')).toBe('');
    // Not execFileSync: the service answers from this process.
    const { stdout: out } = await promisify(execFile)(
      process.execPath,
      [join(app, 'out/main.js')],
      {
        cwd: app,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, BASE_URL: service.baseUrl, PHOTO: photo },
        timeout: 30_000,
      },
    );
    const result = JSON.parse(out) as { requests: string[] } & Record<string, unknown>;
    expect(result).toMatchObject({
      version: 1,
      sameRead: true,
      updated: ['King', 2],
      patched: [{ lang: 'en' }, 3],
      photo: ['1024', '256', '64'],
      etagBeforeDelete: '"5"',
      gone: 'PROFILE_NOT_FOUND',
    });
    expect((result.pages as number[]).length).toBeGreaterThanOrEqual(2);
    const id = /^POST \/users\/([0-9a-f-]{36})\/photo/m.exec(result.requests.join('\n'))?.[1];
    const at = `/users/${id}`;
    expect(result.requests.filter((r) => r.includes(at))).toEqual([
      `GET ${at} if-none-match="1" -> 304`,
      `GET ${at} if-none-match="1" -> 304`,
      `PUT ${at} if-match="1" -> 200`,
      `PATCH ${at} if-match="2" -> 200`,
      `POST ${at}/photo -> 201`,
      `PUT ${at}/photo if-match="3" -> 200`,
      `DELETE ${at}/photo if-match="4" -> 204`,
      `DELETE ${at} if-match="5" -> 204`,
      `GET ${at} -> 404`,
    ]);
  });

  it('loads with require() too, where Node loads ES modules so', () => {
    const out = execFileSync(
      process.execPath,
      ['-e', "console.log(typeof require('@userprofile/client').ProfileClient)"],
      { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(out.trim()).toBe('function');
  });
});
