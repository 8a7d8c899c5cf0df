/** Load generation and measurement of the servers: autocannon runs, the database's own limit. */
import { waitForHttp } from '@userprofile/local-servers';
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProfileRequests } from './create-requests';
import { P, root } from './parameters';
import type { Figure } from './results';
import { median } from './stats';

/** One autocannon run, as a Figure. */
function cannon(options: autocannon.Options): Promise<Figure> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: P.connections, duration: P.seconds, ...options }, (error, r) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
      });
    });
  });
}

export function load(
  url: string,
  seconds = P.seconds,
  headers: Record<string, string> = {},
): Promise<Figure> {
  return cannon({ url, duration: seconds, headers });
}

/** Creates with a new e-mail each, so that none is refused as taken; POSTs to `path` of `base`. */
export function loadPost(base: string, path?: string): Promise<Figure> {
  return cannon({ url: base, requests: createProfileRequests(path) });
}

export function dbLimit(env: NodeJS.ProcessEnv, tableName: string, userId: string): Figure {
  const out = execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      join(root, 'bench/db-limit.ts'),
      String(P.connections),
      String(P.seconds),
      userId,
    ],
    {
      env: { ...env, TABLE_NAME: tableName },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as Figure;
}

export async function startServer(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  children: ChildProcess[],
): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/users/none`, child, 30_000);
  } catch (error) {
    throw new Error(`server on ${port} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return child;
}

/** The CPU time the process `pid` has used, user and system, in µs (clock ticks of 10 ms). */
export function processCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, after the state field
}

export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

export function medianFigure(figures: Figure[]): Figure {
  return {
    rps: median(figures.map((f) => f.rps)),
    p50: median(figures.map((f) => f.p50)),
    p99: median(figures.map((f) => f.p99)),
    errors: figures.reduce((sum, f) => sum + f.errors, 0),
  };
}
