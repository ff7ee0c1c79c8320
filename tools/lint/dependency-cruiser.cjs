// The house's boundaries (TEAM.md "Architecture", decision 023), checked by `npm run boundaries` and `npm test`.
// Paths are relative to the repository root. Type-only imports count: `import type` from lib/azure in a component
// is as much a breach as a value import, and a type-level cycle is still a cycle.
//
// Every exception is written next to its rule with its reason.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'sandbox-self-contained',
      severity: 'error',
      comment:
        'sandbox/ is the independent oracle: it imports nothing outside itself (Node built-ins and npm packages only).',
      from: { path: '^sandbox/' },
      to: { pathNot: ['^sandbox/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'nothing-imports-the-sandbox',
      severity: 'error',
      comment:
        'Only sandbox/ itself (its tests and vitest config) imports sandbox code. e2e/, bench/ and scripts/ start it as ' +
        'a process (tsx sandbox/src/main.ts) and talk to it over HTTPS with the real SDKs; none of them imports it.',
      from: { pathNot: '^sandbox/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'components-not-azure',
      severity: 'error',
      comment:
        'components/ never imports lib/azure, not even its types: the shapes the browser receives live in lib/api/types.ts.',
      from: { path: '^components/' },
      to: { path: '^lib/azure/' },
    },
    {
      name: 'isomorphic-libs-no-azure-no-react',
      severity: 'error',
      comment:
        'lib/certs, lib/service-config and lib/snippets run in the browser, the worker, the server and the CLI: ' +
        'no Azure SDK, no React, nothing from lib/azure (nor from the UI).',
      from: { path: '^lib/(certs|service-config|snippets)/' },
      to: {
        path: [
          '^lib/azure/',
          '^components/',
          '(^|/)node_modules/@azure/',
          '(^|/)node_modules/(react|react-dom|next|server-only)/',
        ],
      },
    },
    {
      name: 'wizard-logic-is-pure',
      severity: 'error',
      comment: 'lib/wizard is pure wizard logic: no React, no Azure SDK, no lib/azure, no UI.',
      from: { path: '^lib/wizard/' },
      to: {
        path: ['^lib/azure/', '^components/', '(^|/)node_modules/@azure/', '(^|/)node_modules/(react|react-dom|next)/'],
      },
    },
    {
      name: 'azure-sdk-only-in-lib-azure',
      severity: 'error',
      comment:
        'lib/azure is the only app code that talks to Azure. Exceptions: MSAL (@azure/msal-*) is sign-in, not an Azure ' +
        'call, and lives in lib/auth and components/auth; the test oracles (sandbox/test, e2e, bench) drive the sandbox ' +
        'with the real SDKs on purpose.',
      from: { pathNot: ['^lib/azure/', '^sandbox/test/', '^e2e/', '^bench/'] },
      to: { path: '(^|/)node_modules/@azure/', pathNot: '(^|/)node_modules/@azure/msal-' },
    },
    {
      name: 'app-routes-only-through-lib',
      severity: 'error',
      comment:
        'app/ holds routes and pages only: route handlers go through lib (lib/api/handler.ts and one lib call), pages ' +
        'render components; app/ never reaches into the CLI, the sandbox or the test and bench code.',
      from: { path: '^app/' },
      to: { path: ['^cli/', '^sandbox/', '^e2e/', '^bench/', '^scripts/', '^tools/'] },
    },
    {
      name: 'api-routes-no-ui',
      severity: 'error',
      comment: 'API route handlers (app/api) answer JSON through lib; they never import components.',
      from: { path: '^app/api/' },
      to: { path: '^components/' },
    },
    {
      name: 'lib-not-up',
      severity: 'error',
      comment:
        'lib/ is below everything: it never imports app/, components/, the CLI, e2e/, bench/ or scripts/. ' +
        'Exception: lib/**/*.test.ts (and their *.test-support.ts helpers) may import app/ route modules, because ' +
        'those tests drive the routes themselves (handler, fuzz, OpenAPI and token-leak tests).',
      from: { path: '^lib/', pathNot: '\\.test(-support)?\\.ts$' },
      to: { path: ['^app/', '^components/', '^cli/', '^e2e/', '^bench/', '^scripts/', '^tools/'] },
    },
    {
      name: 'lib-tests-not-up',
      severity: 'error',
      comment: 'lib/ tests may import app/ routes (see lib-not-up), nothing else above lib.',
      from: { path: '^lib/.*\\.test(-support)?\\.ts$' },
      to: { path: ['^components/', '^cli/', '^e2e/', '^bench/', '^scripts/', '^tools/'] },
    },
    {
      name: 'wire-contract-is-a-leaf',
      severity: 'error',
      comment:
        'Below the route wrapper, lib reaches lib/api only for the browser-facing shapes (lib/api/types.ts), so the ' +
        'wrapper stays on top: lib/azure, lib/auth and lib/wizard never import lib/api/handler.ts and the rest.',
      from: { path: '^lib/(azure|auth|wizard|certs|service-config|snippets)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^lib/api/', pathNot: '^lib/api/types\\.ts$' },
    },
    {
      name: 'errors-is-a-leaf',
      severity: 'error',
      comment: 'lib/errors.ts, the one error type, imports nothing of ours (it ended the lib/api <-> lib/azure cycle).',
      from: { path: '^lib/errors\\.ts$' },
      to: { path: '^(app|components|lib|cli|sandbox)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(\\.next|test-results|playwright-report|coverage)/|^tools/lint/fixtures/' },
    // Resolve npm packages the way Node and the bundler do (package.json "exports"), so a package that exports only
    // ESM (dependency-cruiser itself, @azure/*) still resolves.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
