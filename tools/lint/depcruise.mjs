#!/usr/bin/env node
// Runs dependency-cruiser with `typescript` meaning this workspace's TypeScript 5.9 (decision 023).
//
// npm hoists dependency-cruiser to the root's node_modules (it does not declare typescript, so nothing pins it here),
// and from there `typescript` is the app's TypeScript 7, the native port, which has no JS API: dependency-cruiser
// would then skip every .ts file. This resolves the bare specifier `typescript` to TypeScript 5.9 for require() and
// import() alike, then hands the command line to dependency-cruiser's own CLI.
//
//   node tools/lint/depcruise.mjs [dependency-cruiser arguments]
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = createRequire(import.meta.url);
const tsRoot = path.dirname(here.resolve('typescript/package.json'));
const tsMain = pathToFileURL(here.resolve('typescript')).href;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const redirected =
    request === 'typescript' || request.startsWith('typescript/')
      ? tsRoot + request.slice('typescript'.length)
      : request;
  return resolveFilename.call(this, redirected, ...rest);
};

const hook = `export async function resolve(specifier, context, next) {
  return specifier === 'typescript' ? { url: ${JSON.stringify(tsMain)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

// The package exports only its API; its CLI sits two folders above the API's entry point.
const api = new URL(import.meta.resolve('dependency-cruiser'));
await import(new URL('../../bin/dependency-cruise.mjs', api).href);
