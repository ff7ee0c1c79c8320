// What one signed-in user costs the server in memory (issue 16): the design before — an OnBehalfOfCredential per user
// token, with its MSAL application and token cache and the user's SDK clients — against the design now: the tokens
// that exchange returned, in a TokenCache entry. Real exchanges against the bench's sandbox, N users each; the heap
// is measured after a full GC before and after, in a child process of its own (node --expose-gc).
import { execFileSync } from 'node:child_process';
import { ROOT } from './support.mjs';

export function benchCacheSize({ endpointsFile, users = 100 }) {
  const run = (mode) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--conditions=react-server',
          '--import',
          'tsx',
          'bench/cache-size-worker.mjs',
          mode,
          endpointsFile,
          String(users),
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
      ),
    );
  const before = run('credential');
  const after = run('tokens');
  const kib = (b) => (b / 1024).toFixed(1);
  const markdown = [
    `${users} sandbox users signed in, each exchanged on-behalf-of for ARM and Key Vault, heap after a full GC:`,
    '',
    '| design | heap per user | of which counted by the cache | cap |',
    '|---|---:|---:|---|',
    `| before: an OnBehalfOfCredential per user token (its MSAL app and cache) + one Key Vault and one ARM client of the user's (the app kept one per vault and API used) | ${kib(before.perUser)} KiB | — | 1 000 entries |`,
    `| now: the exchanged tokens per user token (TokenCache entry) | ${kib(after.perUser)} KiB | ${kib(after.countedPerUser)} KiB | 5 000 entries or 32 MiB |`,
    '',
    `Sandbox tokens are ${after.tokenChars} characters; Entra ID's are 1.5–2.5 KB, which adds up to about 4 KiB an entry (target ≤ 20 KiB).`,
  ].join('\n');
  return { before, after, markdown };
}
