// Stands in for the `yaml` package in the Lambda bundle: @fastify/swagger loads it at start but
// needs it only to render YAML, which this API never serves (its document is /openapi.json).
function unavailable() {
  throw new Error('YAML rendering is not included in the Lambda bundle');
}
module.exports = { stringify: unavailable, parse: unavailable, parseDocument: unavailable };
