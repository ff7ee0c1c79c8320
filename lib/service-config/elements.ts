/**
 * Builders for the `<Certificate>` elements of .cscfg and .csdef, with input validation and attribute escaping.
 */
import { ServiceConfigError } from './errors';
import { normalizeThumbprint } from './thumbprint';

export type StoreLocation = 'LocalMachine' | 'CurrentUser';
export type PermissionLevel = 'limitedOrElevated' | 'elevated';

export const STORE_LOCATIONS: readonly StoreLocation[] = ['LocalMachine', 'CurrentUser'];
/** The stores the csdef schema documents; any other (custom) name is created on the instance. */
export const KNOWN_STORE_NAMES = [
  'My',
  'Root',
  'CA',
  'Trust',
  'Disallowed',
  'TrustedPeople',
  'TrustedPublisher',
  'AuthRoot',
  'AddressBook',
] as const;
export const PERMISSION_LEVELS: readonly PermissionLevel[] = ['limitedOrElevated', 'elevated'];

/** Escape a string for use inside a double-quoted XML attribute value. Tabs/newlines become character references
 * so that attribute-value normalization does not turn them into spaces. */
export function escapeXmlAttribute(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&apos;';
        break;
      case '\t':
        out += '&#9;';
        break;
      case '\n':
        out += '&#10;';
        break;
      case '\r':
        out += '&#13;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

// C0/C1 controls, Unicode format characters (invisible), non-characters and lone surrogates.
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cf}\uFFFE\uFFFF]|\p{Cs}/u;
const MAX_NAME = 256;

function checkName(kind: 'certificate' | 'role', value: unknown): string {
  const code = kind === 'certificate' ? 'invalid-certificate-name' : 'invalid-role-name';
  const label = kind === 'certificate' ? 'Certificate name' : 'Role name';
  const action =
    kind === 'certificate'
      ? 'Use the certificate name from the .csdef/.cscfg (letters, digits, ".", "_" and "-" are safe), without invisible characters or surrounding spaces.'
      : 'Use a role name exactly as it appears in the .cscfg/.csdef (the name attribute of <Role>, <WebRole> or <WorkerRole>).';
  if (typeof value !== 'string' || value.length === 0) {
    throw new ServiceConfigError(code, `${label} is empty.`, action);
  }
  if (value.length > MAX_NAME) {
    throw new ServiceConfigError(code, `${label} is longer than ${MAX_NAME} characters.`, action);
  }
  if (value.trim() !== value) {
    throw new ServiceConfigError(code, `${label} "${value}" starts or ends with whitespace.`, action);
  }
  const bad = FORBIDDEN_IN_NAME.exec(value);
  if (bad) {
    const cp = 'U+' + (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new ServiceConfigError(
      code,
      `${label} contains an invisible or control character (${cp}) at position ${bad.index + 1}.`,
      action,
    );
  }
  return value;
}

export function validateCertificateName(name: unknown): string {
  return checkName('certificate', name);
}

export function validateRoleName(name: unknown): string {
  return checkName('role', name);
}

/** Normalizes and checks a thumbprint; throws `invalid-thumbprint` unless it is 40 hex once normalized. */
export function validateThumbprint(thumbprint: unknown): string {
  if (typeof thumbprint !== 'string') {
    throw new ServiceConfigError(
      'invalid-thumbprint',
      'The thumbprint is missing.',
      'Paste the SHA-1 thumbprint of the certificate (40 hexadecimal characters).',
    );
  }
  const n = normalizeThumbprint(thumbprint);
  if (!n.valid) {
    throw new ServiceConfigError(
      'invalid-thumbprint',
      n.message ?? 'The thumbprint is not 40 hexadecimal characters.',
      'Copy the SHA-1 thumbprint again (Key Vault: certificate → version → "X.509 SHA-1 Thumbprint (in hex)"); it must be 40 characters 0-9/A-F.',
    );
  }
  return n.value;
}

export function validateStoreLocation(value: unknown): StoreLocation {
  if (typeof value === 'string') {
    const hit = STORE_LOCATIONS.find((s) => s.toLowerCase() === value.toLowerCase());
    if (hit) return hit;
  }
  throw new ServiceConfigError(
    'invalid-store-location',
    `Store location ${JSON.stringify(value)} is not valid.`,
    'Use "LocalMachine" (usual for roles) or "CurrentUser".',
  );
}

const CUSTOM_STORE_NAME = /^[A-Za-z0-9_.-](?:[A-Za-z0-9 _.-]{0,62}[A-Za-z0-9_.-])?$/;

export function validateStoreName(value: unknown): string {
  if (typeof value === 'string') {
    const known = KNOWN_STORE_NAMES.find((s) => s.toLowerCase() === value.toLowerCase());
    if (known) return known;
    if (CUSTOM_STORE_NAME.test(value)) return value;
  }
  throw new ServiceConfigError(
    'invalid-store-name',
    `Store name ${JSON.stringify(value)} is not valid.`,
    `Use one of ${KNOWN_STORE_NAMES.join(', ')} (usually "My"), or a custom store name of letters, digits, spaces, ".", "_" and "-" (at most 64).`,
  );
}

export function validatePermissionLevel(value: unknown): PermissionLevel {
  if (typeof value === 'string') {
    const hit = PERMISSION_LEVELS.find((s) => s.toLowerCase() === value.toLowerCase());
    if (hit) return hit;
  }
  throw new ServiceConfigError(
    'invalid-permission-level',
    `Permission level ${JSON.stringify(value)} is not valid.`,
    'Use "limitedOrElevated" (default: every role process may read the key) or "elevated" (only elevated processes).',
  );
}

export interface CscfgCertificateInput {
  name: string;
  thumbprint: string;
  /** Only `sha1` is accepted by Cloud Services. */
  thumbprintAlgorithm?: 'sha1';
}

export interface CsdefCertificateInput {
  name: string;
  storeLocation?: StoreLocation | string;
  storeName?: string;
  permissionLevel?: PermissionLevel | string;
}

export interface ResolvedCsdefCertificate {
  name: string;
  storeLocation: StoreLocation;
  storeName: string;
  permissionLevel?: PermissionLevel;
}

export function resolveCscfgCertificate(input: CscfgCertificateInput): { name: string; thumbprint: string } {
  const name = validateCertificateName(input.name);
  const thumbprint = validateThumbprint(input.thumbprint);
  if (input.thumbprintAlgorithm !== undefined && String(input.thumbprintAlgorithm).toLowerCase() !== 'sha1') {
    throw new ServiceConfigError(
      'invalid-thumbprint-algorithm',
      `Thumbprint algorithm ${JSON.stringify(input.thumbprintAlgorithm)} is not supported.`,
      'Use "sha1": Cloud Services matches certificates by their SHA-1 thumbprint.',
    );
  }
  return { name, thumbprint };
}

export function resolveCsdefCertificate(input: CsdefCertificateInput): ResolvedCsdefCertificate {
  const out: ResolvedCsdefCertificate = {
    name: validateCertificateName(input.name),
    storeLocation: validateStoreLocation(input.storeLocation ?? 'LocalMachine'),
    storeName: validateStoreName(input.storeName ?? 'My'),
  };
  if (input.permissionLevel !== undefined) out.permissionLevel = validatePermissionLevel(input.permissionLevel);
  return out;
}

/** `<Certificate name="…" thumbprint="…" thumbprintAlgorithm="sha1" />` for a .cscfg role. The thumbprint is
 * normalized (whitespace, separators and invisible characters removed, uppercased). */
export function cscfgCertificateElement(input: CscfgCertificateInput): string {
  const { name, thumbprint } = resolveCscfgCertificate(input);
  return `<Certificate name="${escapeXmlAttribute(name)}" thumbprint="${thumbprint}" thumbprintAlgorithm="sha1" />`;
}

/** `<Certificate name="…" storeLocation="LocalMachine" storeName="My" [permissionLevel="…"] />` for a .csdef role. */
export function csdefCertificateElement(input: CsdefCertificateInput): string {
  const c = resolveCsdefCertificate(input);
  const perm = c.permissionLevel ? ` permissionLevel="${c.permissionLevel}"` : '';
  return `<Certificate name="${escapeXmlAttribute(c.name)}" storeLocation="${c.storeLocation}" storeName="${escapeXmlAttribute(c.storeName)}"${perm} />`;
}
