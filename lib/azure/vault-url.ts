import 'server-only';
import { AppError } from '@/lib/errors';

/**
 * A token may only leave the server for a Key Vault host under the configured DNS suffix. The vault URL comes from
 * ARM, but it is checked here anyway: a crafted name or a rogue response must not send a user's token elsewhere.
 * Sandbox mode additionally allows the sandbox's port; Azure mode allows only https on 443.
 */
export function checkVaultUrl(vaultUri: string, dnsSuffix: string, allowedPort?: number): URL {
  let url: URL;
  try {
    url = new URL(vaultUri);
  } catch {
    throw untrusted();
  }
  const host = url.hostname.toLowerCase();
  const label = host.slice(0, host.length - dnsSuffix.length - 1);
  const portOk =
    url.port === '' || url.port === '443' || (allowedPort !== undefined && url.port === String(allowedPort));
  if (
    url.protocol !== 'https:' ||
    url.username !== '' ||
    url.password !== '' ||
    !host.endsWith(`.${dnsSuffix.toLowerCase()}`) ||
    !/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,22}[a-z0-9]$/.test(label) ||
    !portOk ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw untrusted();
  }
  return new URL(`${url.protocol}//${url.host}/`);
}

function untrusted(): AppError {
  return new AppError({
    code: 'forbidden',
    reason: 'UntrustedVaultHost',
    message: 'The vault address is not a Key Vault address this app trusts, so your sign-in was not sent to it.',
    action: "Pick the vault again from the list; if this repeats, check the app's Key Vault DNS suffix setting.",
  });
}
