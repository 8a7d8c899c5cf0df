/**
 * Declared metadata schemas and the Lambda cold start (ADR 0023), alone: the asset built with the
 * validators of docs/examples/profile-schemas.json against the same asset without, each answering
 * a first `GET /users/{id}` (reads never validate: what loading the validators costs) and a first
 * merge patch of `metadata` (validated: what the first validation adds), in a fresh process, on
 * Lambda's Node.js major with the exec wrapper's flags, against DynamoDB Local. Every round runs
 * the four once, in a shuffled order. `pnpm bench` measures the GET pair too (section 2).
 * Usage: pnpm bench:schemas [--rounds 15]
 * Writes bench/results/schemas.json, which docs/benchmarks.md's section 8 is rendered from.
 */
import { startDynamoDbLocal } from '@userprofile/local-servers';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeValidatorsModule } from '../packages/adapters-json-schema/src/compile';
import { restEvent } from '../packages/adapters-http/src/testing/api-gateway-events';
import { buildBundle, bundleOutput } from '../packages/adapters-http/src/testing/invoke-bundle';
import { lambdaNode, shuffled, wrapperFlags } from './lambda';
import { tableWithOneProfile } from './one-profile';
import { median } from './stats';

const root = join(__dirname, '..');
const httpDir = join(root, 'packages/adapters-http');
const buildDir = join(root, 'bench/.build');
const EXAMPLE = join(root, 'docs/examples/profile-schemas.json');

/** The validators module of the example schemas, generated into `dir` as a build makes it. */
export const exampleValidators = (dir: string) => writeValidatorsModule(EXAMPLE, dir);

/** What `pnpm bench:schemas` measured: medians of cold starts, ms, and the bundles' sizes. */
export interface SchemaRun {
  at: string;
  runtime: string;
  rounds: number;
  bundleBytes: { without: number; with: number };
  cold: { getWithout: number; getWith: number; patchWithout: number; patchWith: number };
  /** What compiling at cold start would add instead: load ajv and compile the example, ms. */
  ajvAtStart: number;
  /** What the bundles do instead: load the generated module and validate one value, ms. */
  generatedAtStart: number;
  /** The machine's one-minute load average before and after the rounds (two cores). */
  loadAverage: [number, number];
}

type Sample = keyof SchemaRun['cold'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
  const rounds = Number(values.rounds);
  mkdirSync(buildDir, { recursive: true });
  const without = join(buildDir, 'lambda.js');
  const withSchemas = join(buildDir, 'lambda-schemas.js');
  await buildBundle('lambda', { outfile: without });
  await buildBundle('lambda', { outfile: withSchemas }, exampleValidators(buildDir));

  const ddb = await startDynamoDbLocal({});
  try {
    const { get, patch, env } = await oneProfile(ddb.endpoint);
    const { binary, version } = lambdaNode(buildDir);
    const flags = wrapperFlags(join(httpDir, 'lambda-node-flags.sh'));
    const samples: Record<Sample, number[]> = {
      getWithout: [],
      getWith: [],
      patchWithout: [],
      patchWith: [],
    };
    const atStart = { ajv: [] as number[], generated: [] as number[] };
    const generated = loadGenerated(exampleValidators(buildDir));
    const variants: [Sample, string, unknown][] = [
      ['getWithout', without, get],
      ['getWith', withSchemas, get],
      ['patchWithout', without, patch],
      ['patchWith', withSchemas, patch],
    ];
    const loadBefore = loadavg()[0]!;
    for (let i = 0; i < rounds; i++) {
      process.stderr.write(`[bench:schemas] round ${i + 1}/${rounds}\n`);
      for (const [name, bundle, event] of shuffled(variants)) {
        samples[name].push(await coldStart(binary, flags, env, bundle, event));
      }
      atStart.ajv.push(await timed(binary, COMPILE_AT_START));
      atStart.generated.push(await timed(binary, generated));
    }
    const run: SchemaRun = {
      at: new Date().toISOString().slice(0, 10),
      runtime: `Node.js ${version} (${process.arch})`,
      rounds,
      bundleBytes: {
        without: readFileSync(without).length,
        with: readFileSync(withSchemas).length,
      },
      cold: {
        getWithout: median(samples.getWithout),
        getWith: median(samples.getWith),
        patchWithout: median(samples.patchWithout),
        patchWith: median(samples.patchWith),
      },
      ajvAtStart: median(atStart.ajv),
      generatedAtStart: median(atStart.generated),
      loadAverage: [loadBefore, loadavg()[0]!],
    };
    writeFileSync(join(root, 'bench/results/schemas.json'), `${JSON.stringify(run, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  } finally {
    await ddb.stop();
  }
}

/** A table with one profile on DynamoDB Local; a first GET and a first PATCH of it, and the env. */
async function oneProfile(endpoint: string) {
  const { profile, env } = await tableWithOneProfile(endpoint, 'bench-schemas', {
    email: 'schemas@example.com',
    firstName: 'Bench',
    lastName: 'Mark',
    metadata: { theme: 'dark' },
  });
  const path = `/users/${profile.userId}`;
  return {
    get: restEvent({ method: 'GET', path }),
    // Valid under the example schema and equal to what is stored: validated, then nothing written.
    patch: restEvent({
      method: 'PATCH',
      path,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { theme: 'dark' } },
    }),
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      ENVIRONMENT: 'bench',
      PHOTOS_URL: 'https://photos.example.com',
      LOG_LEVEL: 'info',
    },
  };
}

/** One cold start of `bundle` answering `event` in a fresh process: its time, ms. */
function coldStart(
  binary: string,
  flags: string[],
  env: NodeJS.ProcessEnv,
  bundle: string,
  event: unknown,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = execFile(
      binary,
      [...flags, join(httpDir, 'scripts/invoke-bundle.cjs'), bundle],
      { env, encoding: 'utf8' },
      (error, stdout) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const { ms, results } = bundleOutput(stdout);
        if (results[0]?.statusCode !== 200) {
          return reject(new Error(`cold start answered ${results[0]?.statusCode}: ${stdout}`));
        }
        resolve(ms);
      },
    );
    child.stdin?.end(JSON.stringify([event]));
  });
}

/** The road not taken: a fresh process that loads ajv and compiles the example's schemas. */
const COMPILE_AT_START = `const t = performance.now(); const Ajv = require('ajv').default;
  const ajv = new Ajv({ allErrors: true, strict: true });
  for (const s of Object.values(require(${JSON.stringify(EXAMPLE)}))) ajv.compile(s);
  console.log(performance.now() - t);`;

/** What the bundles do instead: load the generated module and validate a value with it. */
const loadGenerated = (generated: string) => `const t = performance.now();
  const { validators } = require(${JSON.stringify(generated)});
  validators.metadata({ theme: 'dark' });
  console.log(performance.now() - t);`;

/** Runs `code` in a fresh process (where ajv resolves); the number it prints. */
function timed(binary: string, code: string): Promise<number> {
  const ajvDir = join(root, 'packages/adapters-json-schema');
  return new Promise((resolve, reject) => {
    execFile(binary, ['-e', code], { cwd: ajvDir, encoding: 'utf8' }, (e, out) => {
      if (e) return reject(e instanceof Error ? e : new Error(String(e)));
      resolve(Number(out.trim()));
    });
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
