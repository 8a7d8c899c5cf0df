'use strict';
// Makes V8 compile the module wrappers of a minified esbuild bundle with the bundle, not again
// when each module is first required.
//
// esbuild puts every CommonJS module of a bundle (and every ES module it must initialise lazily)
// in a function that runs when the module is first required: `var m=x((e,t)=>{...})`. V8 compiles
// a function lazily: loading the bundle only pre-parses it, and its first call parses it again in
// full. A Lambda cold start requires nearly every module of the bundle, so nearly all of its code
// is parsed twice. V8 compiles a function expression written in parentheses eagerly with its
// script (the "PIFE" heuristic), so `x(((e,t)=>{...}))` is parsed once; the functions inside
// each module stay lazy. docs/benchmarks.md has what this saves.
//
// Usage: node eager-module-wrappers.cjs <bundle.js>   (rewrites the file in place)
const { readFileSync, writeFileSync } = require('node:fs');
const acorn = require('acorn');
const walk = require('acorn-walk');

/** Fewer wrappers than this means esbuild's output changed shape: fail rather than do nothing. */
const MIN_WRAPPERS = 20;

const isFunction = (node) =>
  node?.type === 'ArrowFunctionExpression' || node?.type === 'FunctionExpression';

/**
 * esbuild's `__commonJS` and `__esm` helpers, declared at the top of the bundle: functions of a
 * module body (and a cache) that answer the parameterless function requiring it.
 */
function wrapperHelpers(program) {
  const names = new Set();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { id, init } of statement.declarations) {
      if (
        id.type === 'Identifier' &&
        init?.type === 'ArrowFunctionExpression' &&
        init.params.length >= 2 &&
        isFunction(init.body) &&
        init.body.params.length === 0
      ) {
        names.add(id.name);
      }
    }
  }
  return names;
}

/**
 * The bundle's source with every module wrapper function in parentheses. Minified, a wrapper is
 * the helper's argument, `x((e,t)=>{...})`; not minified, the one method of an object named after
 * the module's path, `__commonJS({ "path"(exports, module) {...} })`, which becomes a property
 * holding the same function, `{ "path": (function(exports, module) {...}) }` (the helpers call
 * it as such, and the path comments of an unminified bundle stay where they are).
 */
function eagerModuleWrappers(code) {
  const options = { ecmaVersion: 'latest', sourceType: 'script' };
  const program = acorn.parse(code, options);
  const helpers = wrapperHelpers(program);
  /** Each edit: replace [start, end) of the source with `text`. */
  const edits = [];
  walk.simple(program, {
    CallExpression(node) {
      if (node.callee.type !== 'Identifier' || !helpers.has(node.callee.name)) return;
      const [body] = node.arguments;
      if (isFunction(body)) {
        edits.push({
          start: body.start,
          end: body.end,
          text: `(${code.slice(body.start, body.end)})`,
        });
      } else if (body?.type === 'ObjectExpression' && body.properties.length === 1) {
        const [method] = body.properties;
        if (method.type !== 'Property' || !method.method || method.computed) return;
        const fn = method.value;
        const keyword = `${fn.async ? 'async ' : ''}function${fn.generator ? '*' : ''}`;
        const text = `${code.slice(method.start, method.key.end)}: (${keyword}${code.slice(fn.start, fn.end)})`;
        edits.push({ start: method.start, end: method.end, text });
      }
    },
  });
  if (edits.length < MIN_WRAPPERS) {
    throw new Error(
      `eager-module-wrappers: ${edits.length} module wrappers found (helpers: ${[...helpers].join(', ') || 'none'}); is this an esbuild bundle?`,
    );
  }
  let out = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    out += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  out += code.slice(at);
  acorn.parse(out, options); // still one valid script
  return { code: out, wrappers: edits.length };
}

/** Rewrites a bundle file in place; answers how many wrappers it made eager. */
function eagerModuleWrappersInFile(file) {
  const { code, wrappers } = eagerModuleWrappers(readFileSync(file, 'utf8'));
  writeFileSync(file, code);
  return wrappers;
}

module.exports = { eagerModuleWrappers, eagerModuleWrappersInFile };

if (require.main === module) {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node eager-module-wrappers.cjs <bundle.js>');
    process.exit(2);
  }
  eagerModuleWrappersInFile(file);
}
