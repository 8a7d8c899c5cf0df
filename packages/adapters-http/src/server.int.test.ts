import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import { renditionFacts } from '@userprofile/adapters-images/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledLocalServer, packageDir, s3EndpointIn } from './testing/bundled-local-server';

const readme = readFileSync(join(packageDir, '../../README.md'), 'utf8');

/** The README's walk-throughs, run as printed against the bundled local server. */
describe('the local server', () => {
  const local = bundledLocalServer();

  it("creates its table on a DynamoDB Local of the user's and runs the README walk-through as printed", async () => {
    const { child, url } = await local.start({
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-${randomUUID()}`,
    });
    try {
      const walk = /### Walk-through[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' });
      expect(out).toContain('HTTP/1.1 201 Created');
      expect(out).toContain('"lastName":"King"');
      expect(out).toContain('"code":"VERSION_CONFLICT"');
      expect(out).toContain('"metadata":{"lang":"en"}');
      expect(out).toContain('HTTP/1.1 204 No Content');
      expect(
        out
          .trim()
          .endsWith(
            '"code":"PROFILE_NOT_FOUND","instance":"/users/' +
              out.match(/location: \/users\/([0-9a-f-]+)/)?.[1] +
              '"}',
          ),
      ).toBe(true);
    } finally {
      expect(await local.stop(child)).toBe(0);
    }
  });

  it('runs the README photo walk-through as printed, on the S3 server it starts itself', async () => {
    const { child, url, output } = await local.start({
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-photo-${randomUUID()}`,
    });
    try {
      const walk = /### A profile photo[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        encoding: 'utf8',
        cwd: join(packageDir, '../..'),
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe('204');
      const profile = JSON.parse(lines[1]!) as { photo: { urls: Record<string, string> } };
      expect(
        profile.photo.urls['256']!.startsWith(
          `${s3EndpointIn(output())}/userprofile-photos/photos/`,
        ),
      ).toBe(true);
      expect(lines[2]).toBe('200 image/webp');
      const rendition = new Uint8Array(
        await (await fetch(profile.photo.urls['256']!)).arrayBuffer(),
      );
      expect(await renditionFacts(rendition)).toMatchObject({
        format: 'webp',
        width: 256,
        height: 256,
        metadata: [],
        markers: [],
      });
    } finally {
      expect(await local.stop(child)).toBe(0);
    }
  });

  it('runs the README jwt walk-through as printed, with tokens from pnpm dev-token', async () => {
    const env = { DATA_DIR: join(local.dir(), 'jwt-data') };
    const { child, url } = await local.start({
      ...env,
      AUTH_MODE: 'jwt',
      AUTH_DEV_KEYS: 'true',
      DYNAMODB_ENDPOINT: testEndpoint(),
      TABLE_NAME: `readme-jwt-${randomUUID()}`,
    });
    try {
      const walk =
        /### Try jwt mode locally[\s\S]*?```sh\n[\s\S]*?```[\s\S]*?```sh\n([\s\S]*?)```/.exec(
          readme,
        )?.[1];
      expect(walk).toBeDefined();
      const script = walk!.replaceAll('http://127.0.0.1:3000', url);
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        encoding: 'utf8',
        cwd: join(packageDir, '../..'),
        env: { ...process.env, ...env },
      });
      expect(out).toContain('HTTP/1.1 401 Unauthorized');
      expect(out).toMatch(/www-authenticate: Bearer realm="userprofile"/i);
      expect(out).toContain('"userId":"0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01"');
      expect(out).toContain('"code":"FORBIDDEN"');
      expect(out).toContain('"count":1}');
      // The suspension, then the list of suspended profiles, then its history, as printed.
      expect(out).toMatch(/\{"reason":"SPAM","until":"[^"]+","suspendedBy":"[0-9a-f-]+"/);
      expect(out).toMatch(/"blocked":true,[^\n]*"suspension":\{"reason":"SPAM"/);
      expect(out.trim()).toMatch(
        /^.*\{"userId":"0b5f3c1e-6c1d-4e0a-9d53-7c2a2f1b9e01","suspensions":\[\{"reason":"SPAM"[^\n]*\]\}$/s,
      );
    } finally {
      expect(await local.stop(child)).toBe(0);
    }
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(local.start({ PORT: 'abc' } as NodeJS.ProcessEnv)).rejects.toThrow(
      /PORT must be an integer/,
    );
  });
});
