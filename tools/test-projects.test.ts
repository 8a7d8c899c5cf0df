import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');

/** Every test file of the repository, relative to its root. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** What starts another process: Node's child processes, esbuild's service, a bundling synthesis. */
const STARTS_A_PROCESS =
  /node:child_process|from 'esbuild'|require\('esbuild'\)|synthStack\([^)]*,\s*true\)/;

describe('the jest projects (jest.config.js)', () => {
  const files = [...testFiles(join(root, 'packages')), ...testFiles(join(root, 'tools'))];

  it('keep tests that start processes out of the unit and synth projects (*.process.test.ts)', () => {
    expect(files.length).toBeGreaterThan(50);
    // (This file names the patterns, and starts nothing.)
    const self = relative(root, __filename);
    const inProcess = files.filter((f) => f !== self && !/\.(int|process)\.test\.ts$/.test(f));
    const starting = inProcess.filter((f) =>
      STARTS_A_PROCESS.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(starting).toEqual([]);
  });

  it('give the HTTP suite one run on the in-memory store (http-suite.test.ts) and one end to end', () => {
    const running = files.filter((f) =>
      /^describeHttpApi\(/m.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(running.sort()).toEqual([
      'packages/adapters-http/src/app.int.test.ts',
      'packages/adapters-http/src/http-suite.test.ts',
    ]);
  });
});
