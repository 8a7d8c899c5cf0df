import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployPlan } from '../src/deploy-plan';
import { stackPolicy } from '../src/replacement-guard';

// `pnpm deploy:first -c environment=prod -c alarmEmail=...` (a new environment) or
// `pnpm deploy:env -c environment=prod ...` (every later deployment): ADR 0015.
const [mode, ...args] = process.argv.slice(2);
const outDir = 'cdk.out';
for (const step of deployPlan(args, mode === '--first', outDir)) {
  if (step.command === 'aws') {
    const stack = step.args[step.args.indexOf('--stack-name') + 1]!;
    const template = JSON.parse(readFileSync(join(outDir, `${stack}.template.json`), 'utf8'));
    writeFileSync(
      join(outDir, `${stack}.stack-policy.json`),
      JSON.stringify(stackPolicy(template)),
    );
  }
  console.error(`> ${step.command} ${step.args.join(' ')}`);
  const { status, error } = spawnSync(step.command, step.args, { stdio: 'inherit' });
  if (error) {
    console.error(`${step.command} could not run (${error.message}): run the step above by hand.`);
    process.exit(1);
  }
  if (status !== 0) process.exit(status ?? 1);
}
