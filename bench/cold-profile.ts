// Where a Lambda cold start spends its time, by package: the bundle is rebuilt without
// minification (esbuild then marks each module with a `// path` comment) but otherwise as deployed
// (its module wrappers eager), cold-started under `node --cpu-prof` a few times, and each sample's
// self time is charged to the package whose module holds the sampled line. V8 compiling the bundle
// shows up as Node's loader (`wrapSafe`), and compiling a function on its first call as that
// function's own time.
import { buildBundle } from '../packages/adapters-http/src/testing/invoke-bundle';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ProfileShare {
  what: string;
  ms: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Mean self time per package over `runs` profiled cold starts, largest first. */
export async function profileColdStart(options: {
  invokeScript: string;
  buildDir: string;
  event: unknown;
  env: NodeJS.ProcessEnv;
  runs: number;
  /** The Node binary and flags to run it with. @default this process's Node, no flags */
  node?: { binary: string; flags: readonly string[] };
}): Promise<ProfileShare[]> {
  const bundle = join(options.buildDir, 'lambda-profiled.js');
  await buildBundle('lambda', { minify: false, metafile: false, outfile: bundle });
  const markers = moduleMarkers(readFileSync(bundle, 'utf8'));
  const dir = join(options.buildDir, 'cpu-profiles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < options.runs; i++) {
    execFileSync(
      options.node?.binary ?? process.execPath,
      [
        ...(options.node?.flags ?? []),
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        options.invokeScript,
        bundle,
      ],
      { input: JSON.stringify([options.event]), env: options.env, encoding: 'utf8' },
    );
  }
  const totals = new Map<string, number>();
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id);
      if (!frame) return;
      const what = chargeTo(frame, bundle, markers);
      totals.set(what, (totals.get(what) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return [...totals]
    .map(([what, ms]) => ({ what, ms: ms / files.length }))
    .sort((a, b) => b.ms - a.ms);
}

/** The first line (0-based) of every module in the bundle, with the package it belongs to. */
function moduleMarkers(source: string): { line: number; owner: string }[] {
  const markers: { line: number; owner: string }[] = [];
  source.split('\n').forEach((text, line) => {
    const path = /^\/\/ (\S+\.(?:[cm]?js|ts|json))$/.exec(text)?.[1];
    if (path) markers.push({ line, owner: ownerOf(path) });
  });
  return markers;
}

function ownerOf(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(path)?.[1];
  if (pkg) return pkg;
  const workspace = /^(?:\.\.\/)?([\w-]+)\/src\//.exec(path)?.[1];
  if (path.startsWith('src/')) return '@userprofile/adapters-http (this service)';
  return workspace ? `@userprofile/${workspace} (this service)` : path;
}

function chargeTo(
  frame: CpuProfile['nodes'][number]['callFrame'],
  bundle: string,
  markers: { line: number; owner: string }[],
): string {
  if (frame.url.endsWith(bundle) || frame.url === `file://${bundle}`) {
    // Before the first module: esbuild's helpers, which run each module's wrapper.
    let owner = "esbuild's module helpers";
    for (const marker of markers) {
      if (marker.line > frame.lineNumber) break;
      owner = marker.owner;
    }
    return owner;
  }
  if (frame.functionName === 'wrapSafe' || frame.functionName === 'compileFunction') {
    return 'V8 compiling the bundle (Node loader)';
  }
  if (frame.functionName === '(garbage collector)') return 'garbage collector';
  if (frame.functionName === '(idle)') return 'idle: waiting for DynamoDB Local';
  if (frame.url.startsWith('node:') || frame.url === '')
    return 'Node.js itself (built-ins, start-up)';
  return 'the invoking script';
}
