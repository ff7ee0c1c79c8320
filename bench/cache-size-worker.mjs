// Child process of bench/cache-size.mjs: `credential` keeps N users' OnBehalfOfCredentials and clients (the design
// before), `tokens` keeps N users' exchanged tokens in a TokenCache (now). Prints one JSON line.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { OnBehalfOfCredential } from '@azure/identity';
import { TokenCache } from '../lib/azure/token-cache.ts';

const [mode, endpointsFile, n] = process.argv.slice(2);
const users = Number(n);
const e = JSON.parse(readFileSync(endpointsFile, 'utf8'));
const agent = new Agent({
  keepAlive: true,
  ca: readFileSync(e.caFile),
  lookup: (_h, o, cb) => (o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)),
});
const persona = e.personas[0];
const userToken = () =>
  new Promise((resolve, reject) => {
    const req = request(
      `${e.identity.authorityHost}/${e.identity.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(t).access_token) : reject(new Error(t))));
      },
    );
    req.on('error', reject);
    req.end(
      new URLSearchParams({
        grant_type: 'password',
        client_id: e.identity.publicClientId,
        username: persona.username,
        password: persona.password,
        scope: e.app.apiScope,
      }).toString(),
    );
  });
const credentialFor = (assertion) =>
  new OnBehalfOfCredential({
    tenantId: e.identity.tenantId,
    clientId: e.app.clientId,
    clientSecret: e.app.clientSecret,
    userAssertionToken: assertion,
    authorityHost: e.identity.authorityHost,
    disableInstanceDiscovery: true,
    additionallyAllowedTenants: ['*'],
    agent,
  });
const ARM = `${e.arm.audience ?? 'https://management.azure.com'}/.default`;
const KV = 'https://vault.azure.net/.default';
const vault = e.vaults.find((v) => v.name === 'kv-contoso-prod');

const assertions = [];
for (let i = 0; i < users; i++) assertions.push(await userToken());
const keep = [];
const heap = () => {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
};
let tokenChars = 0;
const cache = new TokenCache();
// One user first, outside the measurement (modules, JIT, the agent's connections).
for (const warm of [false, true]) {
  const list = warm ? assertions : assertions.slice(0, 1);
  const base = heap();
  for (const assertion of list) {
    const credential = credentialFor(assertion);
    if (mode === 'credential') {
      // As before: the credential per user, and the user's clients, each having made one request.
      const kv = new CertificateClient(vault.vaultUri, credential, {
        disableChallengeResourceVerification: true,
        agent,
      });
      for await (const _ of kv.listPropertiesOfCertificates());
      const arm = new KeyVaultManagementClient(
        credential,
        vault.subscriptionId ?? e.subscriptions?.[0]?.subscriptionId,
        {
          endpoint: e.arm.endpoint,
          credentials: { scopes: [ARM] },
          agent,
        },
      );
      await arm.vaults.get('rg-cses-prod', 'kv-contoso-prod');
      keep.push({ credential, kv, arm });
    } else {
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString());
      const entry = cache.entry(e.app.clientId, {
        assertion,
        oid: claims.oid,
        tid: claims.tid,
        expiresAt: claims.exp * 1000,
      });
      for (const scope of [ARM, KV]) {
        const t = await credentialFor(assertion).getToken(scope);
        tokenChars = t.token.length;
        cache.store(entry, scope, t);
      }
      keep.push(assertion); // the principal keeps the user token in both designs
    }
  }
  if (warm) {
    const perUser = (heap() - base) / list.length;
    process.stdout.write(
      `${JSON.stringify({ mode, users: list.length, perUser, countedPerUser: cache.bytes / Math.max(1, cache.size), tokenChars })}\n`,
    );
  }
}
agent.destroy();
process.exit(0);
