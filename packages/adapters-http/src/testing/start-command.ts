import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node flags of the local server's start command (`pnpm start` in this package, which
 * `./scripts/start` runs): the tests and benchmarks that run the bundled server pass them too, so
 * that they check and measure the server as it is run.
 */
export function startCommandNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const command = /\bnode ((?:--[\w-]+(?:=\S+)? )*)dist\/server\.js/.exec(pkg.scripts.start);
  if (!command) throw new Error(`cannot read the node flags of: ${pkg.scripts.start}`);
  return (command[1] ?? '').trim().split(/\s+/).filter(Boolean);
}
