import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { eagerModuleWrappers } = require('../scripts/eager-module-wrappers.cjs') as {
  eagerModuleWrappers(code: string): { code: string; wrappers: number };
};

/**
 * A bundle shaped like the Lambda's: CommonJS modules (`__commonJS` wrappers) and ES modules that
 * a CommonJS module requires (`__esm` wrappers), required in an order the result records.
 */
async function bundle(dir: string, minify: boolean): Promise<string> {
  const order = (name: string) => `globalThis.order.push(${JSON.stringify(name)});`;
  for (let i = 0; i < 25; i++) {
    writeFileSync(
      join(dir, `cjs${i}.cjs`),
      `${order(`cjs${i}`)}\nmodule.exports = (x) => x + ${i}${i < 24 ? ` + require('./cjs${i + 1}.cjs')(0)` : ''};\n`,
    );
  }
  writeFileSync(join(dir, 'esm.mjs'), `${order('esm')}\nexport const double = (x) => 2 * x;\n`);
  writeFileSync(
    join(dir, 'lazy.cjs'),
    `${order('lazy')}\nmodule.exports = () => require('./esm.mjs').double(21);\n`,
  );
  writeFileSync(
    join(dir, 'entry.cjs'),
    `${order('entry')}\nconst sum = require('./cjs0.cjs');\nmodule.exports = { value: sum(0), later: () => require('./lazy.cjs')() };\n`,
  );
  const result = await build({
    entryPoints: [join(dir, 'entry.cjs')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    minify,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** Runs a bundle as Node's loader would, and answers its exports and the order modules ran in. */
function run(code: string) {
  const module = { exports: {} as { value: number; later(): number } };
  const context = { module, exports: module.exports, order: [] as string[] };
  runInNewContext(code, Object.assign(context, { globalThis: context }));
  const later = module.exports.later();
  return { value: module.exports.value, later, order: context.order };
}

describe('eager module wrappers (the Lambda bundles’ post-build step)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eager-wrappers-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([true, false])(
    'puts every module wrapper in parentheses and changes nothing else (minified: %s)',
    async (minify) => {
      const code = await bundle(dir, minify);
      const eager = eagerModuleWrappers(code);

      // 26 CommonJS modules and one ES module (the entry runs at the top level, unwrapped).
      expect(eager.wrappers).toBe(27);
      // Only parentheses were added (and, unminified, each method became a function property).
      const strip = (s: string) => s.replace(/[()\s:]|function/g, '');
      expect(strip(eager.code)).toBe(strip(code));
      const parenthesised = minify
        ? eager.code.match(/\(\(\(?[\w$,]*\)?=>\{/g)
        : eager.code.match(/": \(function\(/g);
      expect(parenthesised).toHaveLength(27);
      // Same results, same order of module evaluation, lazy requires still lazy.
      const before = run(code);
      const after = run(eager.code);
      expect(after).toEqual(before);
      expect(after.value).toBe(300);
      expect(after.later).toBe(42);
      expect(after.order.slice(-2)).toEqual(['lazy', 'esm']);
    },
  );

  it('refuses a file that is not an esbuild bundle, rather than leave it as it is', () => {
    expect(() => eagerModuleWrappers('module.exports = () => 1;')).toThrow(
      /0 module wrappers found.*esbuild bundle/,
    );
  });
});
