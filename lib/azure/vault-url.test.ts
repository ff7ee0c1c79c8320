import { describe, expect, it } from 'vitest';
import { checkVaultUrl } from './vault-url';

describe('checkVaultUrl', () => {
  it('accepts Azure vault URLs under the suffix', () => {
    expect(checkVaultUrl('https://kv-contoso.vault.azure.net/', 'vault.azure.net').href).toBe(
      'https://kv-contoso.vault.azure.net/',
    );
    expect(checkVaultUrl('https://kv-contoso.vault.azure.net:443', 'vault.azure.net').href).toBe(
      'https://kv-contoso.vault.azure.net/',
    );
  });

  it('accepts the sandbox port only when allowed', () => {
    expect(checkVaultUrl('https://kv-a1.vault.localhost:8443/', 'vault.localhost', 8443).host).toBe(
      'kv-a1.vault.localhost:8443',
    );
    expect(() => checkVaultUrl('https://kv-a1.vault.localhost:9999/', 'vault.localhost', 8443)).toThrow(
      /not a Key Vault address/,
    );
    expect(() => checkVaultUrl('https://kv-a1.vault.azure.net:8443/', 'vault.azure.net')).toThrow();
  });

  it.each([
    'http://kv-contoso.vault.azure.net/',
    'https://kv-contoso.vault.azure.net.evil.com/',
    'https://evil.com/?x=.vault.azure.net',
    'https://kv-contoso.vault.azure.net@evil.com/',
    'https://user:pw@kv-contoso.vault.azure.net/',
    'https://a.b.vault.azure.net/',
    'https://vault.azure.net/',
    'https://kv--bad.vault.azure.net/',
    'https://kv-contoso.vault.azure.net/certificates/x',
    'https://kv-contoso.vault.azure.net/#frag',
    'not a url',
    'https://evilvault.azure.net/',
  ])('refuses %s', (url) => {
    expect(() => checkVaultUrl(url, 'vault.azure.net')).toThrow(/not a Key Vault address/);
  });
});
