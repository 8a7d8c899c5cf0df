/**
 * The commands of a deployment, in order (bin/deploy.ts runs them). The first deployment of an
 * environment goes out without deletion protection, so that if it fails CloudFormation can roll
 * the table and the pool back (delete them); once it has succeeded, the second deploy switches
 * protection on, and the stack policy is set (ADR 0015). Later deployments: one deploy, the policy.
 */
export function deployPlan(
  args: readonly string[],
  first: boolean,
  outDir = 'cdk.out',
): { command: string; args: string[] }[] {
  const environment =
    args
      .map((arg, i) => (args[i - 1] === '-c' || args[i - 1] === '--context' ? arg : undefined))
      .find((arg) => arg?.startsWith('environment='))
      ?.slice('environment='.length) ?? 'dev';
  if (args.some((arg) => arg.startsWith('deletionProtection='))) {
    throw new Error('deletionProtection is the deployment’s to set: leave it out');
  }
  const stack = `UserProfile-${environment}`;
  const deploy = (extra: string[]) => ({
    command: 'pnpm',
    args: ['exec', 'cdk', 'deploy', stack, '--output', outDir, ...args, ...extra],
  });
  return [
    ...(first ? [deploy(['-c', 'deletionProtection=false'])] : []),
    deploy([]),
    {
      command: 'aws',
      args: [
        'cloudformation',
        'set-stack-policy',
        '--stack-name',
        stack,
        '--stack-policy-body',
        `file://${outDir}/${stack}.stack-policy.json`,
      ],
    },
  ];
}
