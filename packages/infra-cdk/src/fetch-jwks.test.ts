import { TestIssuer } from '@userprofile/adapters-http/testing-issuer';
import { join } from 'node:path';

// The deploy-time custom resource's handler, as the stack ships it (inline code).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require(join(__dirname, '../lambda/fetch-jwks.js')) as {
  handler: (event: object) => Promise<{ PhysicalResourceId: string; Data?: { Jwks: string } }>;
};

describe('the JWKS fetcher of the deployment', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.stop());
  const url = () => `${issuer.url}/.well-known/jwks.json`;

  it('returns the pool’s keys with what RS256 verification needs, and nothing else', async () => {
    const result = await handler({ RequestType: 'Create', ResourceProperties: { JwksUrl: url() } });
    expect(result.PhysicalResourceId).toBe(url());
    const served = JSON.parse(issuer.jwks) as { keys: Record<string, unknown>[] };
    const delivered = JSON.parse(result.Data!.Jwks) as { keys: Record<string, unknown>[] };
    expect(delivered.keys).toEqual(
      served.keys.map(({ kid, kty, alg, use, n, e }) => ({ kid, kty, alg, use, n, e })),
    );
  });

  it('fails the deployment when the pool answers no keys, and fetches nothing on delete', async () => {
    await expect(
      handler({ RequestType: 'Update', ResourceProperties: { JwksUrl: `${issuer.url}/missing` } }),
    ).rejects.toThrow(/answered 404/);
    const before = issuer.fetches;
    await handler({ RequestType: 'Delete', PhysicalResourceId: url(), ResourceProperties: {} });
    expect(issuer.fetches).toBe(before);
  });
});
