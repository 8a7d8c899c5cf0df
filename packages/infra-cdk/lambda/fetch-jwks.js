// A deploy-time custom resource: fetches the user pool's JSON Web Key Set, so that the API
// functions get the keys with their configuration (AUTH_JWKS) and a cold start never waits for
// Cognito. A key rotated in later is fetched by the functions themselves when a token names it.
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const url = event.ResourceProperties.JwksUrl;
  const response = await fetch(url, { signal: AbortSignal.timeout(10000) });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const { keys } = await response.json();
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${url} holds no keys`);
  // Only what verifying RS256 needs: Lambda's environment is 4 KB in all.
  const jwks = { keys: keys.map(({ kid, kty, alg, use, n, e }) => ({ kid, kty, alg, use, n, e })) };
  return { PhysicalResourceId: url, Data: { Jwks: JSON.stringify(jwks) } };
};
