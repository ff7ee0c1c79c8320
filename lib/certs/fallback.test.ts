/**
 * Without WebCrypto (a page served over plain http has no crypto.subtle) inspection must still work, through the
 * pure-JS PBKDF2/HMAC and node-forge ciphers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPfx } from './index';

const DIR = join(__dirname, '__vectors__');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  vectors: Array<{
    file: string;
    thumbprint: string | null;
    password: string | null;
    errors: string[];
    category: string;
  }>;
};

describe('inspectPfx without crypto.subtle', () => {
  afterEach(() => vi.unstubAllGlobals());
  const files = [
    'openssl3-default.pfx',
    'aes128-sha1mac.pfx',
    'non-ascii-password.pfx',
    'ec-p256.pfx',
    'legacy-rc2-3des.pfx',
    'java-keytool.p12',
  ];
  for (const file of files) {
    it(file, async () => {
      const v = expected.vectors.find((x) => x.file === file && x.errors.length === 0);
      if (!v) return; // (java vector absent when keytool was unavailable at generation)
      vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b });
      expect(globalThis.crypto.subtle).toBeUndefined();
      const r = await inspectPfx(new Uint8Array(readFileSync(join(DIR, file))), v.password);
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(r.leaf?.thumbprint).toBe(v.thumbprint);
      expect(r.key?.matchesLeaf).toBe(true);
      const wrong = await inspectPfx(new Uint8Array(readFileSync(join(DIR, file))), 'wrong');
      expect(wrong.findings.map((f) => f.code)).toEqual(['wrong-password']);
    });
  }
});
