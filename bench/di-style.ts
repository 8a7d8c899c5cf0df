/**
 * What the design card's DI style would cost a Lambda cold start (docs/adr/0017): the same object
 * graph in InversifyJS bound two ways and bundled as the Lambda bundles are (esbuild, minified,
 * Node's target): by factories, as `container.ts` does, and as `@injectable()` classes with
 * `@inject(TOKEN)` on each parameter (esbuild emits no decorator metadata) and reflect-metadata
 * loaded first. Each variant runs in fresh processes of Lambda's Node, alternating; the figure is
 * the time from the process start to the resolved graph, and the bundle size.
 *
 * Usage: pnpm bench:di [--runs N]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { lambdaNode } from './lambda';
import { median } from './stats';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1] || 40);
/** As many bindings as the composition root makes (container.ts). */
const CLASSES = 21;
const dir = join(__dirname, '.build', 'di-style');

/** Class i depends on class i-1 and class 0, like use cases on a repository and a clock. */
function source(decorated: boolean): string {
  const lines = [
    decorated ? "import 'reflect-metadata';" : '',
    `import { Container${decorated ? ', inject, injectable' : ''} } from 'inversify';`,
    `const started = performance.now();`,
  ];
  for (let i = 0; i < CLASSES; i++) {
    const params = i === 0 ? [] : [`C${i - 1}`, 'C0'];
    if (decorated) lines.push('@injectable()');
    const ctor = params
      .map((p, n) => `${decorated ? `@inject(${p}) ` : ''}readonly d${n}: ${p}`)
      .join(', ');
    lines.push(`class C${i} { constructor(${ctor}) {} value() { return ${i}; } }`);
  }
  lines.push('const c = new Container();');
  for (let i = 0; i < CLASSES; i++) {
    if (decorated) lines.push(`c.bind(C${i}).toSelf().inSingletonScope();`);
    else {
      const args = i === 0 ? '' : `ctx.get(C${i - 1}), ctx.get(C0)`;
      lines.push(`c.bind(C${i}).toDynamicValue((ctx) => new C${i}(${args})).inSingletonScope();`);
    }
  }
  lines.push(
    `const root = c.get(C${CLASSES - 1});`,
    'if (root.value() !== ' + (CLASSES - 1) + ") throw new Error('wrong graph');",
    // Since the process started (Node's own start is the same for both), and the module's own part.
    'console.log(JSON.stringify({ total: performance.now(), module: performance.now() - started }));',
  );
  return lines.join('\n');
}

async function bundle(decorated: boolean): Promise<string> {
  const name = decorated ? 'decorated' : 'factories';
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source(decorated));
  const outfile = join(dir, `${name}.js`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
    nodePaths: [
      join(__dirname, '../packages/adapters-http/node_modules'),
      join(__dirname, '../node_modules'),
    ],
    logLevel: 'warning',
  });
  return outfile;
}

async function main(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const node = lambdaNode(join(__dirname, '.build'));
  const files = { factories: await bundle(false), decorated: await bundle(true) };
  const times: Record<keyof typeof files, { total: number[]; module: number[] }> = {
    factories: { total: [], module: [] },
    decorated: { total: [], module: [] },
  };
  for (let run = 0; run < RUNS; run++) {
    for (const variant of (run % 2
      ? ['decorated', 'factories']
      : ['factories', 'decorated']) as (keyof typeof files)[]) {
      const out = execFileSync(node.binary, [files[variant]], { encoding: 'utf8' });
      const { total, module } = JSON.parse(out) as { total: number; module: number };
      times[variant].total.push(total);
      times[variant].module.push(module);
    }
  }
  const figures = Object.fromEntries(
    Object.entries(files).map(([variant, file]) => [
      variant,
      {
        bytes: statSync(file).size,
        gzipBytes: gzipSync(readFileSync(file)).length,
        startToResolvedMs: +median(times[variant as keyof typeof files].total).toFixed(2),
        resolveMs: +median(times[variant as keyof typeof files].module).toFixed(2),
      },
    ]),
  );
  console.log(
    JSON.stringify({ node: node.version, classes: CLASSES, runs: RUNS, ...figures }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
