import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundleOptions = require('../bundle-options.cjs') as {
  buildBundle: (
    target: 'server',
    overrides: { outfile: string; sourcemap: false },
  ) => Promise<unknown>;
  asciiSourceInFile: (file: string) => void;
};

/**
 * One character above U+00FF in a bundle makes V8 keep its whole source as UTF-16: the local
 * server's 5 MB bundle took 10.7 MB of heap, 5.4 MB as ASCII (ADR 0024).
 */
describe('the local server bundle as ASCII', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ascii-bundle-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is built with no character outside ASCII', async () => {
    const outfile = join(dir, 'server.js');
    await bundleOptions.buildBundle('server', { outfile, sourcemap: false });
    const source = readFileSync(outfile, 'utf8');
    expect(source.length).toBeGreaterThan(1_000_000);
    expect(source.match(/[\u0080-\uffff]/g) ?? []).toEqual([]);
    // What esbuild leaves raw: validator's locale alphabets, regular expression literals.
    expect(source).toContain('"bg-BG": /^[\\u0410-\\u042f]+$/i');
  });

  it('escapes regular expressions and comments to the same meaning, astral characters included', () => {
    const file = join(dir, 'module.js');
    writeFileSync(
      file,
      [
        '// Ünïcode in a comment',
        'module.exports = {',
        '  cyrillic: /^[А-Я]+$/i,',
        '  astral: /^😀+$/u,',
        '  astralClass: /^[😀-😂]$/u,',
        '  text: "Я",',
        '};',
      ].join('\n'),
    );
    bundleOptions.asciiSourceInFile(file);
    const escaped = readFileSync(file, 'utf8');
    expect(escaped).not.toMatch(/[\u0080-\uffff]/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file) as Record<string, RegExp | string>;
    const [cyrillic, astral, astralClass] = [
      module.cyrillic,
      module.astral,
      module.astralClass,
    ] as RegExp[];
    expect(cyrillic!.test('бЯ')).toBe(true);
    expect(cyrillic!.test('b')).toBe(false);
    expect(astral!.test('😀😀')).toBe(true);
    expect(astral!.test('\ud83d')).toBe(false);
    expect(astralClass!.test('😁')).toBe(true);
    expect(astralClass!.test('😃')).toBe(false);
    expect(module.text).toBe('Я');
  });

  it('refuses a character escaped by a backslash, whose meaning an escape would change', () => {
    const file = join(dir, 'escaped.js');
    writeFileSync(file, 'module.exports = /\\é/;\n');
    expect(() => bundleOptions.asciiSourceInFile(file)).toThrow(
      'a backslash before a non-ASCII character',
    );
  });
});
