'use strict';
// The Lambda entry (index.js) of an asset that carries a V8 code cache of its app (app.js).
//
// A code cache is valid only for the exact Node build, CPU architecture and V8 flags that made it,
// and a stale one that V8 accepts can crash Node (nodejs/node#62781). So the cache is used only
// when the key it was made under (app.cache.json, written by make-code-cache.cjs in the runtime
// it is for) equals this process's key, and V8's own check (`cachedDataRejected`) is honoured.
// Without a usable cache the app is compiled as usual and one line says why, once per cold start.
const { readFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { join } = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

const file = join(__dirname, 'app.js');

/** What a cache must have been made under to be used here. */
function cacheKey() {
  return `${process.version} ${process.arch} ${v8.cachedDataVersionTag()}`;
}

/** Compiles app.js as Node's CommonJS loader would, with `cachedData` when given. */
function compile(cachedData) {
  return new vm.Script(wrap(readFileSync(file, 'utf8')), {
    filename: file,
    // The SDK imports some built-ins lazily with import(): resolve them as Node's loader would.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    ...(cachedData ? { cachedData } : {}),
  });
}

/** Runs the compiled app as a CommonJS module and answers its exports. */
function run(script) {
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script
    .runInThisContext()
    .call(module.exports, module.exports, createRequire(file), module, file, __dirname);
  module.loaded = true;
  return module.exports;
}

if (process.env.MAKE_CODE_CACHE === '1') {
  // make-code-cache.cjs compiles and runs the app itself, to make the cache.
  module.exports = { cacheKey, compile, run };
} else {
  let status = 'used';
  let cachedData;
  try {
    const made = JSON.parse(readFileSync(join(__dirname, 'app.cache.json'), 'utf8'));
    if (made.key === cacheKey()) cachedData = readFileSync(join(__dirname, 'app.cache'));
    else status = `not used: made for ${made.key}, this runtime is ${cacheKey()}`;
  } catch (error) {
    status = `not used: ${error.code === 'ENOENT' ? 'no cache in the asset' : error.message}`;
  }
  const script = compile(cachedData);
  if (cachedData && script.cachedDataRejected) status = 'not used: rejected by V8';
  if (status !== 'used') {
    const line = {
      level: 40,
      time: Date.now(),
      msg: `V8 code cache ${status}; compiled without it`,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  module.exports = run(script);
  // How this cold start went, for tests and the benchmark.
  Object.defineProperty(module.exports, 'codeCacheStatus', { value: status, enumerable: false });
}
