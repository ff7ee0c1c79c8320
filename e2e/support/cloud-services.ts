import { request } from 'node:https';
import { agentFor, endpoints, PersonaVaultCredential, SUBSCRIPTIONS } from './sandbox';
import { faults } from './faults';

/**
 * The sandbox's cloud services read directly over ARM REST with a persona's own token — not through the app — so
 * tests can check what the RP really holds after the app changed it.
 */
export interface RawService {
  id: string;
  name: string;
  properties: {
    configuration: string;
    provisioningState: string;
    osProfile: {
      secrets: Array<{ sourceVault: { id: string }; vaultCertificates: Array<{ certificateUrl: string }> }>;
    };
  };
}

export async function readService(name: string, username = 'admin@contoso.sandbox'): Promise<RawService> {
  const e = endpoints();
  const token = await new PersonaVaultCredential(e, username).getToken('https://management.azure.com/.default');
  const url = `${e.arm.endpoint}/subscriptions/${SUBSCRIPTIONS.production}/resourceGroups/rg-cses-prod/providers/Microsoft.Compute/cloudServices/${name}?api-version=2024-11-04`;
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agentFor(e), headers: { authorization: `Bearer ${token!.token}` } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(JSON.parse(text))
          : reject(new Error(`GET ${name}: ${res.statusCode} ${text}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export const certificateUrls = (s: RawService) =>
  s.properties.osProfile.secrets.flatMap((g) => g.vaultCertificates.map((c) => c.certificateUrl));

type Counted = { id?: string; hits?: number; method?: string; path?: string };

/**
 * Counts the PUTs that reach the sandbox for cloud services from now on (refused ones included): an ARM fault rule
 * that matches them and does nothing but count (`hits`).
 */
export async function countPuts(): Promise<() => Promise<number>> {
  const before = new Set(((await faults.list()).rules as Counted[]).map((r) => r.id));
  await faults.add({ area: 'arm', method: 'PUT', path: '/providers/Microsoft\\.Compute/cloudServices/' });
  const rule = ((await faults.list()).rules as Counted[]).find((r) => !before.has(r.id));
  return async () => ((await faults.list()).rules as Counted[]).find((r) => r.id === rule?.id)?.hits ?? 0;
}
