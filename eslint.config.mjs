// The rules live in the tools/lint workspace (it has the TypeScript 5.9 that typescript-eslint needs); see decision 023.
export { default } from './tools/lint/eslint.config.mjs';
