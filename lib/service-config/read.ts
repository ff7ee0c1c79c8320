/**
 * Read a .cscfg or .csdef: its kind, service name, roles and their certificates, settings and imports.
 */
import type { Element } from '@xmldom/xmldom';
import { ServiceConfigError } from './errors';
import { childElements, localNameOf, parseXml, positionOf, type Newline, type XmlSource } from './xml';

export type ServiceFileKind = 'cscfg' | 'csdef';
export type RoleType = 'Role' | 'WebRole' | 'WorkerRole' | 'VirtualMachineRole';

export const CSCFG_NAMESPACE = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration';
export const CSDEF_NAMESPACE = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (the BOM is not counted). */
  column: number;
}

export interface CertificateEntry extends Position {
  role: string;
  name: string;
  /** .cscfg only: the thumbprint attribute as written (null when absent). */
  thumbprint?: string | null;
  thumbprintAlgorithm?: string | null;
  /** .csdef only. */
  storeLocation?: string | null;
  storeName?: string | null;
  permissionLevel?: string | null;
}

export interface SettingEntry extends Position {
  name: string;
  /** .cscfg only (csdef settings have no value). */
  value?: string | null;
}

export interface ImportEntry extends Position {
  moduleName: string;
}

export interface EndpointEntry extends Position {
  /** InputEndpoint, InternalEndpoint, InstanceInputEndpoint. */
  type: string;
  name: string;
  protocol: string | null;
  /** The certificate name an https/tls endpoint refers to. */
  certificate: string | null;
}

export interface RoleInfo extends Position {
  name: string;
  type: RoleType;
  /** .cscfg: `<Instances count>`; .csdef: null. */
  instances: number | null;
  /** .csdef: `vmsize`. */
  vmSize: string | null;
  certificates: CertificateEntry[];
  settings: SettingEntry[];
  imports: ImportEntry[];
  endpoints: EndpointEntry[];
}

export interface ServiceFileInfo {
  kind: ServiceFileKind;
  /** cscfg `serviceName` / csdef `name`. */
  serviceName: string | null;
  namespace: string | null;
  /** True when the root element is in the documented namespace. */
  namespaceOk: boolean;
  roles: RoleInfo[];
  bom: boolean;
  newline: Newline;
}

const ROLE_TYPES: Record<ServiceFileKind, RoleType[]> = {
  cscfg: ['Role'],
  csdef: ['WebRole', 'WorkerRole', 'VirtualMachineRole'],
};

export function kindOfRoot(root: Element): ServiceFileKind | null {
  const n = localNameOf(root);
  if (n === 'ServiceConfiguration') return 'cscfg';
  if (n === 'ServiceDefinition') return 'csdef';
  return null;
}

/** Parse and check the root; throws `unknown-file-kind`, or `not-service-configuration`/`not-service-definition`
 * when `expected` is given and the file is the other kind. */
export function parseServiceFile(text: string, expected?: ServiceFileKind): { src: XmlSource; kind: ServiceFileKind } {
  const src = parseXml(text);
  const kind = kindOfRoot(src.root);
  if (!kind) {
    throw new ServiceConfigError(
      'unknown-file-kind',
      `The root element is <${src.root.nodeName}>, not <ServiceConfiguration> (.cscfg) or <ServiceDefinition> (.csdef).`,
      'Give a service configuration (.cscfg) or service definition (.csdef) file.',
      positionOf(src.root),
    );
  }
  if (expected && kind !== expected) {
    throw expected === 'cscfg'
      ? new ServiceConfigError(
          'not-service-configuration',
          'This is a service definition (.csdef), but a service configuration (.cscfg) is needed here.',
          'Give the .cscfg file (root <ServiceConfiguration>); thumbprints live in the .cscfg.',
        )
      : new ServiceConfigError(
          'not-service-definition',
          'This is a service configuration (.cscfg), but a service definition (.csdef) is needed here.',
          'Give the .csdef file (root <ServiceDefinition>); store locations and names live in the .csdef.',
        );
  }
  return { src, kind };
}

export function roleElements(src: XmlSource, kind: ServiceFileKind): Element[] {
  const types = ROLE_TYPES[kind] as string[];
  return childElementsAny(src.root).filter((e) => types.includes(localNameOf(e)));
}

function childElementsAny(el: Element): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
}

function attr(el: Element, name: string): string | null {
  return el.hasAttribute(name) ? el.getAttribute(name) : null;
}

function readRole(el: Element, kind: ServiceFileKind): RoleInfo {
  const name = el.getAttribute('name') ?? '';
  const certificates: CertificateEntry[] = [];
  for (const certs of childElements(el, 'Certificates')) {
    for (const c of childElements(certs, 'Certificate')) {
      const entry: CertificateEntry = { role: name, name: c.getAttribute('name') ?? '', ...positionOf(c) };
      if (kind === 'cscfg') {
        entry.thumbprint = attr(c, 'thumbprint');
        entry.thumbprintAlgorithm = attr(c, 'thumbprintAlgorithm');
      } else {
        entry.storeLocation = attr(c, 'storeLocation');
        entry.storeName = attr(c, 'storeName');
        entry.permissionLevel = attr(c, 'permissionLevel');
      }
      certificates.push(entry);
    }
  }
  const settings: SettingEntry[] = [];
  for (const cs of childElements(el, 'ConfigurationSettings')) {
    for (const s of childElements(cs, 'Setting')) {
      const entry: SettingEntry = { name: s.getAttribute('name') ?? '', ...positionOf(s) };
      if (kind === 'cscfg') entry.value = attr(s, 'value');
      settings.push(entry);
    }
  }
  const imports: ImportEntry[] = [];
  for (const im of childElements(el, 'Imports')) {
    for (const i of childElements(im, 'Import')) {
      imports.push({ moduleName: i.getAttribute('moduleName') ?? '', ...positionOf(i) });
    }
  }
  const endpoints: EndpointEntry[] = [];
  for (const eps of childElements(el, 'Endpoints')) {
    for (const ep of childElementsAny(eps)) {
      endpoints.push({
        type: localNameOf(ep),
        name: ep.getAttribute('name') ?? '',
        protocol: attr(ep, 'protocol'),
        certificate: attr(ep, 'certificate'),
        ...positionOf(ep),
      });
    }
  }
  let instances: number | null = null;
  const inst = childElements(el, 'Instances')[0];
  if (inst) {
    const n = Number(inst.getAttribute('count'));
    instances = Number.isFinite(n) ? n : null;
  }
  return {
    name,
    type: localNameOf(el) as RoleType,
    instances,
    vmSize: attr(el, 'vmsize'),
    certificates,
    settings,
    imports,
    endpoints,
    ...positionOf(el),
  };
}

/** Read a .cscfg or .csdef (detected from the root element). */
export function readServiceFile(text: string, expected?: ServiceFileKind): ServiceFileInfo {
  const { src, kind } = parseServiceFile(text, expected);
  const namespace = src.root.namespaceURI ?? null;
  return {
    kind,
    serviceName: attr(src.root, kind === 'cscfg' ? 'serviceName' : 'name'),
    namespace,
    namespaceOk: namespace === (kind === 'cscfg' ? CSCFG_NAMESPACE : CSDEF_NAMESPACE),
    roles: roleElements(src, kind).map((r) => readRole(r, kind)),
    bom: src.bom,
    newline: src.newline,
  };
}

/** Roles and their certificates of a .cscfg or .csdef. */
export function listRoles(text: string): RoleInfo[] {
  return readServiceFile(text).roles;
}

export function detectServiceFileKind(text: string): ServiceFileKind {
  return parseServiceFile(text).kind;
}
