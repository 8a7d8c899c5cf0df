import { testEndpoint } from '@userprofile/adapters-dynamo/testing';
import {
  IamEnforcingProxy,
  rolePolicyOf,
  TEST_ACCOUNT,
  type Statement,
} from '../iam-enforcing-proxy';
import type { CloudAssembly } from './cloud-assembly';

/** As Lambda hands them to a function: its role's (temporary) credentials, in the environment. */
export const ROLE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example-secret',
  AWS_SESSION_TOKEN: 'example-session-token',
};

/**
 * The function's role, simulated: its policy from the synthesized template (the template's tables
 * being the test's, see `rolePolicyOf`), and a DynamoDB endpoint in front of this file's DynamoDB
 * Local that allows only what that policy allows, recording what it used and what it denied.
 */
export async function startRoleProxy(
  assembly: CloudAssembly,
  functionName: string,
  tableName: string | Readonly<Record<string, string>>,
): Promise<{ proxy: IamEnforcingProxy; policy: Statement[] }> {
  const policy = rolePolicyOf(assembly.template, functionName, tableName);
  const proxy = await IamEnforcingProxy.start(
    testEndpoint(),
    policy,
    `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${functionName}-role/${functionName}`,
  );
  return { proxy, policy };
}

/**
 * The test's profile and search tables under the names the template gives the stack's (ADR 0025),
 * for `startRoleProxy`: each table's ARN in a policy resolves to its test table's.
 */
export const profileTablesOf = (tables: { tableName: string; searchTableName: string }) => ({
  'UserProfiles-dev': tables.tableName,
  'UserProfileSearch-dev': tables.searchTableName,
});

/** Each DynamoDB action the policy allows, with each resource it allows it on. */
export function dynamoGrants(policy: readonly Statement[]): { action: string; resource: string }[] {
  return policy
    .filter((s) => s.effect === 'Allow' && s.actions.some((a) => a.startsWith('dynamodb:')))
    .flatMap((s) =>
      s.actions.flatMap((action) => s.resources.map((resource) => ({ action, resource }))),
    );
}

/** The DynamoDB actions the function's role was used for through `proxy`, each once, sorted. */
export const actionsUsed = (proxy: Pick<IamEnforcingProxy, 'uses'>): string[] =>
  [...new Set(proxy.uses.map((u) => u.action))].sort();
