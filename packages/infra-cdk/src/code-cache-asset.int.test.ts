import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '@userprofile/adapters-http/testing-bundle';
import { codeCacheCommands } from './app-bundle';

/**
 * The commands the stack runs after bundling when `codeCacheImage` is set, run here with a
 * stand-in `docker` on PATH: it records how it was called and runs the command in this machine's
 * Node with the image's paths mapped to the host (AWS's image cannot be pulled here). The cache it
 * leaves is then used by a cold start of the asset.
 */
describe('an asset with a code cache made in the Lambda image', () => {
  let work: string;
  let asset: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'code-cache-asset-'));
    asset = join(work, 'asset');
    await buildBundle('lambda', { outfile: join(asset, 'index.js') });
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the loader as index.js, the bundle as app.js, and a cache made under the wrapper’s flags', () => {
    const bin = join(work, 'bin');
    const calls = join(work, 'docker-calls');
    execFileSync('mkdir', ['-p', bin]);
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh
printf '%s\\n' "$*" >> "${calls}"
# docker run ... --volume <asset>:/var/task --volume <code-cache>:/opt/code-cache:ro
#   --entrypoint /var/lang/bin/node <image> <flags...> /opt/code-cache/make-code-cache.cjs /var/task
task=""; tools=""; image_seen=""; args=""
while [ $# -gt 0 ]; do
  case "$1" in
    run|--rm|--network|none|--platform|linux/arm64) shift ;;
    --volume) case "$2" in *:/var/task) task="\${2%:/var/task}";; *:/opt/code-cache:ro) tools="\${2%:/opt/code-cache:ro}";; esac; shift 2 ;;
    --entrypoint) shift 2 ;;
    *) if [ -z "$image_seen" ]; then image_seen="$1"; else args="$args $1"; fi; shift ;;
  esac
done
args="$(printf '%s' "$args" | sed "s#/opt/code-cache#$tools#g; s#/var/task#$task#g")"
exec "${process.execPath}" $args
`,
    );
    chmodSync(join(bin, 'docker'), 0o755);

    const image = 'public.ecr.aws/lambda/nodejs:24.2026.11.20.10-arm64';
    const script = codeCacheCommands(image, asset).join(' && ');
    const out = execFileSync('sh', ['-euc', script], {
      env: { PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(out).toMatch(/^code cache: \d+ bytes for v\d+/);

    const call = readFileSync(calls, 'utf8').trim();
    expect(call).toContain('run --rm --platform linux/arm64 --network none');
    expect(call).toContain(`--volume ${asset}:/var/task`);
    expect(call).toContain(
      `--entrypoint /var/lang/bin/node ${image} --min-semi-space-size=12 /opt/code-cache/make-code-cache.cjs /var/task`,
    );
    expect(readFileSync(join(asset, 'index.js'), 'utf8')).toContain('cachedDataRejected');
    expect(readFileSync(join(asset, 'app.js')).length).toBeGreaterThan(100_000);

    // A cold start of the asset, as Lambda starts it (through the wrapper's flags), uses the cache.
    const status = execFileSync(
      process.execPath,
      [
        '--min-semi-space-size=12',
        '-e',
        `process.stdout.write(require(${JSON.stringify(join(asset, 'index.js'))}).codeCacheStatus)`,
      ],
      { env: { PATH: process.env.PATH, AUTH_MODE: 'none', LOG_LEVEL: 'silent' }, encoding: 'utf8' },
    );
    expect(status).toBe('used');
  }, 60_000);
});
