import { restEvent, type RequestSpec } from '@userprofile/adapters-http/testing-events';
import { invokeBundle, type LambdaResponse } from '@userprofile/adapters-http/testing-bundle';
import type { TestIssuer } from '@userprofile/adapters-http/testing-issuer';

/** An `authorization` header with an ID token the test's issuer mints for `sub`. */
export async function bearer(
  issuer: TestIssuer,
  sub: string,
  options: Parameters<TestIssuer['idToken']>[1] = {},
): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await issuer.idToken(sub, options)}` };
}

/**
 * API Gateway's REST events (the stage in the path, as the custom domain sends them) for `specs`,
 * served one after another by the asset's handler in a fresh Node process: started through
 * `wrapper` when given (the asset's exec wrapper, as Lambda starts it).
 */
export function serveRoutes(
  asset: string,
  specs: RequestSpec[],
  env: NodeJS.ProcessEnv,
  wrapper?: string,
): Promise<LambdaResponse[]> {
  return invokeBundle(
    asset,
    specs.map((spec) => restEvent(spec, 'dev', true)),
    env,
    wrapper,
  );
}

export const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);
