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
    const inProcess = files.filter((f) => f !== self && !/\.(int|process|e2e)\.test\.ts$/.test(f));
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

  it('are named only as they exist: every test file a doc or a comment cites is there', () => {
    const names = new Set(files.map((f) => f.split('/').pop()));
    const texts = [
      ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f)),
      'README.md',
      ...sources(join(root, 'packages')),
    ];
    const cited = texts.flatMap((file) =>
      [
        ...readFileSync(join(root, file), 'utf8').matchAll(
          /(?<![\w.*])([a-z][\w.-]*\.test\.ts)\b/g,
        ),
      ].map((m) => `${file}: ${m[1]}`),
    );
    expect(cited.length).toBeGreaterThan(30);
    expect(cited.filter((c) => !names.has(c.split(': ')[1]))).toEqual([]);
  });
});

/** Every TypeScript source of the packages, relative to the root. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.'))
      return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}
