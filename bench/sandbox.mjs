// Sandbox: start time (cold = new state dir with CA and keys generated; warm = existing state) and
// get-certificate throughput through the real Key Vault SDK.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CertificateClient } from '@azure/keyvault-certificates';
import { makeBenchPfx } from './pfx.mjs';
import { median, ms, personaCredential, sandboxAgent, startSandbox } from './support.mjs';

export async function benchSandbox({ seconds = 10, concurrency = 16, port = 8790 } = {}) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-sbx-'));
    const s = await startSandbox({ port, stateDir: dir, reset: false });
    cold.push(s.readyMs);
    s.stop();
    await new Promise((r) => setTimeout(r, 300));
    for (let j = 0; j < 2; j++) {
      const w = await startSandbox({ port, stateDir: dir, reset: false });
      warm.push(w.readyMs);
      w.stop();
      await new Promise((r) => setTimeout(r, 300));
    }
    rmSync(dir, { recursive: true, force: true });
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sbx-'));
  const s = await startSandbox({ port, stateDir: dir });
  const vault = s.endpoints.vaults.find((v) => v.name === 'kv-contoso-prod');
  const client = new CertificateClient(vault.vaultUri, personaCredential(s.endpoints), {
    disableChallengeResourceVerification: true,
    agent: sandboxAgent(s.endpoints),
  });
  const pfx = makeBenchPfx();
  await client.importCertificate('bench-get', readFileSync(pfx.file), { password: pfx.password });
  await client.getCertificate('bench-get'); // warm the token and the connection
  let done = 0;
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        try {
          await client.getCertificate('bench-get');
          done++;
        } catch {
          errors++;
        }
      }
    }),
  );
  s.stop();
  rmSync(dir, { recursive: true, force: true });
  const rps = done / seconds;
  const markdown = [
    '| measure | value |',
    '|---|---|',
    `| start, cold (new state: CA, server cert and signing key generated), median of ${cold.length} | ${ms(median(cold))} ms |`,
    `| start, warm (existing state), median of ${warm.length} | ${ms(median(warm))} ms (target < 2000 ms) |`,
    `| get-certificate throughput, real SDK, ${concurrency} concurrent for ${seconds} s | ${rps.toFixed(0)} req/s (${errors} errors) |`,
  ].join('\n');
  return { coldMs: median(cold), warmMs: median(warm), rps, errors, markdown };
}
