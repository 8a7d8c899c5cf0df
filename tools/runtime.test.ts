import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
/** The Node.js version `.nvmrc` pins: Lambda's runtime, which scripts/lib.sh provides. */
const pinned = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
const major = pinned.split('.')[0];

describe("Lambda's Node.js, everywhere", () => {
  it('is pinned in .nvmrc and declared as the engine of the workspace', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(manifest.engines.node).toBe(`${major}.x`);
  });

  it('runs the tests (./scripts/test provides it when the machine has another major)', () => {
    expect(process.versions.node.split('.')[0]).toBe(major);
  });
});
