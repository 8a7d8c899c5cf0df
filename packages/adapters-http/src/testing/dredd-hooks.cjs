// Dredd's hooks for the run of the served document's examples (dredd.int.test.ts, which names the
// document in OPENAPI_DOCUMENT). Dredd makes one transaction per documented answer of each
// operation and sends the operation's examples in each. These hooks leave out what examples cannot
// express, add the bearer token jwt mode needs (DREDD_TOKENS), and hold each answer to the
// document itself where Dredd's OpenAPI 3 parser loses it (docs/api.md, "Driven by its
// examples"); they change no value an example gives.
const { readFileSync } = require('node:fs');
const hooks = require('hooks');

const doc = JSON.parse(readFileSync(process.env.OPENAPI_DOCUMENT, 'utf8'));
/** In jwt mode, the bearer token of each operation, by `METHOD /path` (a document holds none). */
const tokens = JSON.parse(process.env.DREDD_TOKENS ?? '{}');

/**
 * By path, the query parameters that are alternatives to the others: each answers 400 beside
 * them. The list's `email` (find one) and `suspended` (another index) go with neither `lastKey`
 * nor `active`; the public profiles are asked by `ids` or by `username`, never both; a search by
 * `name` (with every filter), never by two keys.
 */
const ALTERNATIVES = {
  '/users': ['email', 'suspended'],
  '/users/public': ['username'],
  '/users/search': ['email', 'emailDomain', 'username'],
};

/**
 * The documented answer of a transaction: Dredd's parser keeps no header's `required` (so it
 * expects every header listed, optional ones too) and turns no response schema into one it checks
 * (it checks the body against one derived from an example of it, every field required).
 */
function documented(transaction) {
  const operation =
    doc.paths[transaction.origin.resourceName][transaction.request.method.toLowerCase()];
  return operation.responses[transaction.expected.statusCode];
}

/**
 * The answer as the document has it: its required headers present, its media type (which the
 * service sends with `; charset=utf-8`: Dredd compares Content-Type verbatim), its body valid
 * against its schema with the document's named schemas to resolve references.
 */
function holdToDocument(transaction) {
  const response = documented(transaction);
  const headers = {};
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (header.required) headers[name] = '';
  }
  const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
  if (mediaType) headers['Content-Type'] = `${mediaType}; charset=utf-8`;
  transaction.expected.headers = headers;
  if (content?.schema) {
    transaction.expected.bodySchema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...content.schema,
      components: doc.components,
    });
  }
}

hooks.beforeEach((transaction, done) => {
  const status = Number(transaction.expected.statusCode);
  if (status < 200 || status > 299) {
    // An error or a 304 follows from a state or a request no example states: no token, a stale
    // ETag, a taken e-mail, another method (405), a slow client, a busy server.
    transaction.skip = true;
    return done();
  }
  const alternatives = ALTERNATIVES[transaction.origin.resourceName];
  if (transaction.request.method === 'GET' && alternatives) {
    // Dredd sends every query example at once: the alternatives are left out.
    const url = new URL(transaction.request.uri, 'http://localhost');
    for (const name of alternatives) url.searchParams.delete(name);
    transaction.request.uri = `${url.pathname}${url.search}`;
    transaction.fullPath = transaction.request.uri;
  }
  const token = tokens[`${transaction.request.method} ${transaction.origin.resourceName}`];
  if (token) transaction.request.headers.Authorization = `Bearer ${token}`;
  holdToDocument(transaction);
  done();
});
