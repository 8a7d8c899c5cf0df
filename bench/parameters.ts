/** The benchmark suite's sizes and places: `--quick` (CI's smoke test) runs the same code, smaller. */
import { join } from 'node:path';
import { logger } from './stats';

export const quick = process.argv.includes('--quick');
export const P = quick
  ? {
      rounds: 1,
      seconds: 3,
      warmupSeconds: 2,
      connections: 16,
      coldRuns: 10,
      warmCount: 200,
      sizes: [500, 1000, 2000],
      samples: 20,
    }
  : {
      rounds: 5,
      seconds: 10,
      warmupSeconds: 10,
      connections: 16,
      coldRuns: 15,
      warmCount: 1000,
      sizes: [1000, 10_000, 100_000],
      samples: 50,
    };

export const root = join(__dirname, '..');
export const httpDir = join(root, 'packages/adapters-http');
export const buildDir = join(root, 'bench/.build');
export const log = logger('bench');
