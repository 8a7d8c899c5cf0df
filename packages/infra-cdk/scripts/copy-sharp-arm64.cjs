// Copies sharp and its Linux arm64 (glibc) binaries from this workspace's install into a Lambda
// asset: offline, from the lockfile's versions, whatever machine synthesizes. pnpm installs the
// arm64 packages because pnpm-workspace.yaml's supportedArchitectures lists linux/arm64/glibc.
// Usage: node scripts/copy-sharp-arm64.cjs <asset directory>
const { cpSync, existsSync, realpathSync } = require('node:fs');
const { dirname, join } = require('node:path');

const [output] = process.argv.slice(2);
if (!output) throw new Error('usage: copy-sharp-arm64.cjs <asset directory>');
const images = dirname(require.resolve('@userprofile/adapters-images/package.json'));
// In pnpm's layout a package's dependencies are its siblings.
const siblings = dirname(realpathSync(join(images, 'node_modules/sharp')));
const PACKAGES = [
  'sharp',
  'detect-libc',
  'semver',
  '@img/colour',
  '@img/sharp-linux-arm64',
  '@img/sharp-libvips-linux-arm64',
];
for (const name of PACKAGES) {
  const from = join(siblings, name);
  if (!existsSync(from)) {
    throw new Error(
      `${name} is not installed beside sharp (${from}); pnpm-workspace.yaml's supportedArchitectures must include os linux, cpu arm64, libc glibc`,
    );
  }
  cpSync(from, join(output, 'node_modules', name), { recursive: true, dereference: true });
}
