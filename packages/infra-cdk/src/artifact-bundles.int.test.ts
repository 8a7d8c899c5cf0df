import { buildBundle } from '@userprofile/adapters-http/testing-bundle';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PHOTO_FUNCTIONS, PROFILE_FUNCTIONS, synthesizedAssembly } from './testing/cloud-assembly';

/**
 * `cdk synth` as a user runs it (offline, no AWS credentials), then what its Lambda assets hold:
 * the profile routes' and the photo routes' bundles, sharp's binaries, the exec wrapper.
 */
describe('the synthesized cloud assembly: the API bundles in their assets', () => {
  const assembly = synthesizedAssembly();
  const lean = PROFILE_FUNCTIONS;
  const photoNames = PHOTO_FUNCTIONS;
  const assetOf = (name: string) => assembly.assetOf(name);

  it('deploys one bundle of the Fastify app behind the profile routes, without S3 or sharp', () => {
    const bundles = new Set(lean.map(assetOf));
    expect(bundles.size).toBe(1);
    const code = readFileSync([...bundles][0]!, 'utf8');
    expect(code.length).toBeGreaterThan(100_000); // a real bundle, not a stub
    // Credentials come from the environment: no STS or SSO client of the SDK's default chain.
    expect(code).not.toMatch(/AssumeRoleWithWebIdentity|SSOOIDC|GetRoleCredentials/);
    // No S3 client, presigner or image library in the profile routes' bundle.
    const photoCode = /PutObjectCommand|createPresignedPost|SharpImageProcessor|require\("sharp"\)/;
    expect(code.match(photoCode)?.[0]).toBeUndefined();
  });

  it('deploys the photo bundle behind deletion and the photo routes, with S3 and the presigner', () => {
    const code = readFileSync(assetOf(photoNames[0]!), 'utf8');
    expect(readFileSync(assetOf(photoNames[1]!), 'utf8')).toBe(code);
    expect(code).toMatch(/"PutObject"/);
    expect(code).toMatch(/"content-length-range"/);
    // Photos are decoded by a worker process beside the bundle, which alone loads sharp.
    expect(code).not.toMatch(/require\("sharp"\)/);
    const worker = readFileSync(join(dirname(assetOf(photoNames[1]!)), 'photo-worker.js'), 'utf8');
    expect(worker).toMatch(/require\("sharp"\)/);
    expect(worker).toMatch(/scans, more than/);
    expect(code).not.toMatch(/AssumeRoleWithWebIdentity|SSOOIDC|GetRoleCredentials/);
  });

  it('is byte for byte the bundles that the bundle tests and the benchmark build and measure', async () => {
    for (const [target, name] of [
      ['lambda', lean[0]!],
      ['lambda-photos', photoNames[0]!],
    ] as const) {
      const local = join(assembly.directory, `${target}-options-build.js`);
      await buildBundle(target, { outfile: local, metafile: false });
      expect([target, readFileSync(assetOf(name)).equals(readFileSync(local))]).toEqual([
        target,
        true,
      ]);
    }
  });

  it("ships sharp's Linux arm64 binaries in the photo function's asset, and no other platform's", () => {
    const asset = dirname(assetOf('userprofile-dev-user-photo'));
    expect(dirname(assetOf('userprofile-dev-delete-user'))).toBe(asset);
    const img = join(asset, 'node_modules/@img');
    expect(readdirSync(img).sort()).toEqual([
      'colour',
      'sharp-libvips-linux-arm64',
      'sharp-linux-arm64',
    ]);
    const lib = join(img, 'sharp-linux-arm64/lib');
    const binary = readdirSync(lib).find((f) => f.endsWith('.node'));
    expect(binary).toMatch(/^sharp-linux-arm64-[\d.]+\.node$/);
    // ELF, 64-bit, little-endian, e_machine 183 = AArch64: it loads on Lambda's Graviton, not here.
    const header = readFileSync(join(lib, binary!)).subarray(0, 20);
    expect([...header.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(header[4]).toBe(2);
    expect(header.readUInt16LE(18)).toBe(183);
    const vips = readdirSync(join(img, 'sharp-libvips-linux-arm64/lib')).find((f) =>
      f.startsWith('libvips'),
    );
    expect(vips).toBeDefined();
    // The photo bundle requires sharp from the asset's node_modules; the lean one has none.
    expect(existsSync(join(asset, 'node_modules/sharp/package.json'))).toBe(true);
    expect(existsSync(join(dirname(assetOf(lean[0]!)), 'node_modules'))).toBe(false);
  });

  it('starts Node through the exec wrapper in the asset, with the V8 flags NODE_OPTIONS refuses', () => {
    const newSpace = (args: string[]) =>
      Number(
        execFileSync(
          args[0]!,
          [
            ...args.slice(1),
            '-e',
            "process.stdout.write(String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
          ],
          { encoding: 'utf8' },
        ),
      );
    for (const name of [...lean, ...photoNames]) {
      const wrapper = assembly.wrapperOf(name);
      expect(statSync(wrapper).mode & 0o111).toBe(0o111); // executable, as Lambda needs
      expect(newSpace(['/bin/sh', wrapper, process.execPath])).toBeGreaterThan(
        2 * newSpace([process.execPath]),
      );
    }
  });
});
