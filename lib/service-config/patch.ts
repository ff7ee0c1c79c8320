/**
 * Add or replace a `<Certificate>` in one role of a .cscfg and/or .csdef, editing only the text that has to change.
 *
 * Where a new `<Certificates>` element goes when the role has none:
 * - .cscfg: after `<ConfigurationSettings>`, else after `<Instances>` (the documented order
 *   Instances → ConfigurationSettings → Certificates), else as the role's last child.
 * - .csdef: after `<ConfigurationSettings>`, else after `<Endpoints>` (where Visual Studio and the Microsoft HTTPS
 *   guide put it), else after `<Imports>`, `<Sites>`, `<LocalResources>`, `<Startup>`, `<Runtime>` (first found in
 *   that order), else before the role's first child element (e.g. before `<Contents>`), else as its only child.
 * An existing `<Certificate>` with the same name is updated in place: only the attribute values that differ are
 * rewritten (inside their own quotes), missing attributes are appended, attribute order and other attributes (e.g. an
 * existing permissionLevel that was not asked to change) stay. A new one is appended after the last `<Certificate>` of
 * the role's `<Certificates>`.
 * Newlines follow the file (CRLF stays CRLF), indentation follows the neighbouring elements.
 */
import type { Element, Node } from '@xmldom/xmldom';
import {
  cscfgCertificateElement,
  csdefCertificateElement,
  escapeXmlAttribute,
  resolveCscfgCertificate,
  resolveCsdefCertificate,
  validateRoleName,
  type CsdefCertificateInput,
} from './elements';
import { ServiceConfigError } from './errors';
import { parseServiceFile, readServiceFile, roleElements, type ServiceFileKind } from './read';
import {
  applyEdits,
  attributeSpans,
  childElements,
  elementChildren,
  endOffset,
  indentOf,
  positionOf,
  startOffset,
  startTagEnd,
  type XmlSource,
} from './xml';

export type PatchAction = 'added' | 'replaced' | 'unchanged';

export interface PatchResult {
  /** The patched file (BOM and newlines preserved). Equal to the input when `action` is `unchanged`. */
  text: string;
  action: PatchAction;
  kind: ServiceFileKind;
  role: string;
  name: string;
  /** True when a `<Certificates>` element had to be created. */
  createdCertificatesElement: boolean;
}

export interface CscfgPatchInput {
  role: string;
  name: string;
  thumbprint: string;
}

export interface CsdefPatchInput extends CsdefCertificateInput {
  role: string;
}

const CSCFG_ANCHORS = ['ConfigurationSettings', 'Instances'];
const CSDEF_ANCHORS = [
  'ConfigurationSettings',
  'Endpoints',
  'Imports',
  'Sites',
  'LocalResources',
  'Startup',
  'Runtime',
];

function findRole(src: XmlSource, kind: ServiceFileKind, role: string): Element {
  const roles = roleElements(src, kind);
  const matches = roles.filter((r) => r.getAttribute('name') === role);
  if (matches.length === 0) {
    const names = roles.map((r) => `"${r.getAttribute('name') ?? ''}"`).join(', ') || 'none';
    const ci = roles.find((r) => (r.getAttribute('name') ?? '').toLowerCase() === role.toLowerCase());
    const hint = ci ? ` (did you mean "${ci.getAttribute('name')}"? Role names are case-sensitive.)` : '';
    throw new ServiceConfigError(
      'role-not-found',
      `There is no role "${role}" in this ${kind === 'cscfg' ? '.cscfg' : '.csdef'}; roles: ${names}${hint}.`,
      'Use one of the role names listed (the name attribute of the role element).',
    );
  }
  if (matches.length > 1) {
    throw new ServiceConfigError(
      'duplicate-role',
      `The role "${role}" appears ${matches.length} times in this file.`,
      'Remove the duplicate role element so every role name is unique, then try again.',
      positionOf(matches[1] as Element),
    );
  }
  return matches[0] as Element;
}

/** Indentation step of the file, from the role and its first child (default two spaces). */
function indentStep(src: XmlSource, role: Element): string {
  const ri = indentOf(src, role);
  const first = elementChildren(role)[0];
  const ci = first ? indentOf(src, first) : null;
  if (ri !== null && ci !== null && ci.length > ri.length && ci.startsWith(ri)) return ci.slice(ri.length);
  const rootIndent = ri;
  if (rootIndent && rootIndent.length > 0) return rootIndent;
  return '  ';
}

function childIndent(src: XmlSource, parent: Element, step: string): string {
  for (const c of elementChildren(parent)) {
    const i = indentOf(src, c);
    if (i !== null) return i;
  }
  return (indentOf(src, parent) ?? '') + step;
}

/** True when every expected attribute has the expected value (other attributes are not looked at). */
function sameAttributes(el: Element, expected: Record<string, string>): boolean {
  return Object.entries(expected).every(([k, v]) => el.hasAttribute(k) && el.getAttribute(k) === v);
}

/** Edits that give `el` the expected attribute values in place: changed values are rewritten inside their quotes,
 * missing attributes are appended after the last one; attribute order, quoting, spacing and any other attributes
 * (e.g. a permissionLevel that was not asked to change) stay as they are. */
function attributeEdits(
  src: XmlSource,
  el: Element,
  expected: Record<string, string>,
): Array<{ start: number; end: number; text: string }> {
  const spans = attributeSpans(src, el);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let appended = '';
  for (const [k, v] of Object.entries(expected)) {
    const span = spans.find((a) => a.name === k);
    if (span) {
      if (el.getAttribute(k) !== v)
        edits.push({ start: span.valueStart, end: span.valueEnd, text: escapeXmlAttribute(v) });
    } else {
      appended += ` ${k}="${escapeXmlAttribute(v)}"`;
    }
  }
  if (appended) {
    const last = spans[spans.length - 1];
    const at = last ? last.valueEnd + 1 : startOffset(src, el) + 1 + el.nodeName.length;
    edits.push({ start: at, end: at, text: appended });
  }
  return edits;
}

function onlyWhitespace(src: XmlSource, from: number, to: number): boolean {
  return src.body.slice(from, to).trim() === '';
}

interface UpsertPlan {
  edits: Array<{ start: number; end: number; text: string }>;
  action: PatchAction;
  created: boolean;
}

/** The newline style of the line break nearest before `offset` (files with mixed endings), else the file's. */
function newlineBefore(src: XmlSource, offset: number): string {
  for (let i = offset - 1; i >= 0; i--) {
    const c = src.body[i];
    if (c === '\n') return src.body[i - 1] === '\r' ? '\r\n' : '\n';
    if (c === '\r') return '\r';
  }
  return src.newline;
}

/** Where to insert "after" a node: past comments that follow it on the same line (`<X/> <!-- note -->`). */
function afterOnSameLine(src: XmlSource, node: Node): number {
  let at = endOffset(src, node);
  for (let s = node.nextSibling; s; s = s.nextSibling) {
    if (s.nodeType === 3) {
      const v = src.body.slice(startOffset(src, s), endOffset(src, s));
      if (v.trim() !== '' || /[\r\n]/.test(v)) break;
      continue;
    }
    if (s.nodeType === 8) {
      at = endOffset(src, s);
      continue;
    }
    break;
  }
  return at;
}

function lastNonBlank(node: Node | null): Node | null {
  let n = node;
  while (n && n.nodeType === 3 && (n.nodeValue ?? '').trim() === '') n = n.previousSibling;
  return n;
}

function withPrefix(elementXml: string, prefix: string | null | undefined): string {
  return prefix ? elementXml.replace(/^<Certificate\b/, `<${prefix}:Certificate`) : elementXml;
}

function planUpsert(
  src: XmlSource,
  kind: ServiceFileKind,
  role: Element,
  name: string,
  elementXml: string,
  expectedAttrs: Record<string, string>,
): UpsertPlan {
  // A role that does not start on its own line (e.g. a one-line file) gets a compact insertion without newlines.
  const compact = indentOf(src, role) === null;
  const nl = compact ? '' : newlineBefore(src, startOffset(src, role));
  const step = compact ? '' : indentStep(src, role);
  const ind = (s: string | null | undefined, fallback: string) => (compact ? '' : (s ?? fallback));
  const roleIndent = ind(indentOf(src, role), '');
  const inner = compact ? '' : childIndent(src, role, step);
  const p = role.prefix ? `${role.prefix}:` : '';
  const certXml = withPrefix(elementXml, role.prefix);
  const block = (indent: string) =>
    `<${p}Certificates>${nl}${indent}${step}${certXml}${nl}${indent}</${p}Certificates>`;

  const certs = childElements(role, 'Certificates')[0];
  if (certs) {
    const existing = childElements(certs, 'Certificate').filter((c) => c.getAttribute('name') === name);
    if (existing.length > 1) {
      throw new ServiceConfigError(
        'duplicate-certificate',
        `The certificate "${name}" appears ${existing.length} times in role "${role.getAttribute('name')}".`,
        'Remove the duplicate <Certificate> so each name appears once per role, then try again.',
        positionOf(existing[1] as Element),
      );
    }
    const hit = existing[0];
    if (hit) {
      if (sameAttributes(hit, expectedAttrs)) return { edits: [], action: 'unchanged', created: false };
      return { edits: attributeEdits(src, hit, expectedAttrs), action: 'replaced', created: false };
    }
    const cp = certs.prefix ?? role.prefix;
    const children = elementChildren(certs);
    const last = children[children.length - 1];
    const certsIndent = ind(indentOf(src, certs), inner);
    if (last) {
      const at = afterOnSameLine(src, last);
      const indent = ind(indentOf(src, last), certsIndent + step);
      return {
        edits: [{ start: at, end: at, text: nl + indent + withPrefix(elementXml, cp) }],
        action: 'added',
        created: false,
      };
    }
    // <Certificates /> or <Certificates></Certificates> or only whitespace/comments inside.
    const tag = startTagEnd(src, certs);
    const lastChild = certs.lastChild;
    const innerEnd = tag.selfClosing ? tag.end : lastChild ? endOffset(src, lastChild) : tag.end;
    const cpx = cp ? `${cp}:` : '';
    if (tag.selfClosing || onlyWhitespace(src, tag.end, innerEnd)) {
      const text = `<${cpx}Certificates>${nl}${certsIndent}${step}${withPrefix(elementXml, cp)}${nl}${certsIndent}</${cpx}Certificates>`;
      return {
        edits: [{ start: startOffset(src, certs), end: endOffset(src, certs), text }],
        action: 'added',
        created: false,
      };
    }
    // Comments inside: keep them, add after the last one.
    const anchor = lastNonBlank(lastChild);
    const at = anchor ? afterOnSameLine(src, anchor) : tag.end;
    return {
      edits: [{ start: at, end: at, text: nl + certsIndent + step + withPrefix(elementXml, cp) }],
      action: 'added',
      created: false,
    };
  }

  const anchors = kind === 'cscfg' ? CSCFG_ANCHORS : CSDEF_ANCHORS;
  for (const a of anchors) {
    const found = childElements(role, a);
    const anchor = found[found.length - 1];
    if (anchor) {
      const indent = ind(indentOf(src, anchor), inner);
      const at = afterOnSameLine(src, anchor);
      return { edits: [{ start: at, end: at, text: nl + indent + block(indent) }], action: 'added', created: true };
    }
  }
  const children = elementChildren(role);
  if (kind === 'csdef' && children[0]) {
    const first = children[0];
    const indent = ind(indentOf(src, first), inner);
    const at = startOffset(src, first);
    return { edits: [{ start: at, end: at, text: block(indent) + nl + indent }], action: 'added', created: true };
  }
  const lastEl = children[children.length - 1];
  if (lastEl) {
    const indent = ind(indentOf(src, lastEl), inner);
    const at = afterOnSameLine(src, lastEl);
    return { edits: [{ start: at, end: at, text: nl + indent + block(indent) }], action: 'added', created: true };
  }
  // The role has no child elements.
  const tag = startTagEnd(src, role);
  const indent = roleIndent + step;
  if (tag.selfClosing) {
    // `<Role name="x" />` → `<Role name="x">…</Role>`
    let cut = tag.end - 2;
    while (cut > 0 && /[ \t\r\n]/.test(src.body[cut - 1] as string)) cut--;
    return {
      edits: [
        { start: cut, end: tag.end, text: `>${nl}${indent}${block(indent)}${nl}${roleIndent}</${role.nodeName}>` },
      ],
      action: 'added',
      created: true,
    };
  }
  const lastChild = role.lastChild;
  const innerEnd = lastChild ? endOffset(src, lastChild) : tag.end;
  if (onlyWhitespace(src, tag.end, innerEnd)) {
    return {
      edits: [{ start: tag.end, end: innerEnd, text: `${nl}${indent}${block(indent)}${nl}${roleIndent}` }],
      action: 'added',
      created: true,
    };
  }
  const anchor = lastNonBlank(lastChild);
  const at = anchor ? afterOnSameLine(src, anchor) : tag.end;
  return { edits: [{ start: at, end: at, text: nl + indent + block(indent) }], action: 'added', created: true };
}

function verify(kind: ServiceFileKind, text: string, role: string, name: string, attrs: Record<string, string>): void {
  const info = readServiceFile(text, kind);
  const r = info.roles.find((x) => x.name === role);
  const c = r?.certificates.filter((x) => x.name === name) ?? [];
  const ok =
    c.length === 1 && Object.entries(attrs).every(([k, v]) => (c[0] as unknown as Record<string, unknown>)[k] === v);
  if (!ok) {
    throw new ServiceConfigError(
      'unsupported-layout',
      'The patched file did not read back as expected; nothing was changed.',
      'Report this file to the maintainers; add the <Certificate> by hand meanwhile.',
    );
  }
}

/** Add or replace `<Certificate name thumbprint thumbprintAlgorithm="sha1"/>` in a .cscfg role. */
export function setCscfgCertificate(text: string, input: CscfgPatchInput): PatchResult {
  const roleName = validateRoleName(input.role);
  const { name, thumbprint } = resolveCscfgCertificate({ name: input.name, thumbprint: input.thumbprint });
  const { src, kind } = parseServiceFile(text, 'cscfg');
  const role = findRole(src, kind, roleName);
  const xml = cscfgCertificateElement({ name, thumbprint });
  const plan = planUpsert(src, kind, role, name, xml, { name, thumbprint, thumbprintAlgorithm: 'sha1' });
  const out = plan.edits.length ? applyEdits(src, plan.edits) : text;
  if (plan.edits.length) verify(kind, out, roleName, name, { thumbprint, thumbprintAlgorithm: 'sha1' });
  return { text: out, action: plan.action, kind, role: roleName, name, createdCertificatesElement: plan.created };
}

/** Add or replace `<Certificate name storeLocation storeName [permissionLevel]/>` in a .csdef role. */
export function setCsdefCertificate(text: string, input: CsdefPatchInput): PatchResult {
  const roleName = validateRoleName(input.role);
  const c = resolveCsdefCertificate(input);
  const { src, kind } = parseServiceFile(text, 'csdef');
  const role = findRole(src, kind, roleName);
  const xml = csdefCertificateElement(c);
  const attrs: Record<string, string> = { name: c.name, storeLocation: c.storeLocation, storeName: c.storeName };
  if (c.permissionLevel) attrs.permissionLevel = c.permissionLevel;
  const plan = planUpsert(src, kind, role, c.name, xml, attrs);
  const out = plan.edits.length ? applyEdits(src, plan.edits) : text;
  if (plan.edits.length) {
    const check: Record<string, string> = { storeLocation: c.storeLocation, storeName: c.storeName };
    verify(kind, out, roleName, c.name, check);
  }
  return {
    text: out,
    action: plan.action,
    kind,
    role: roleName,
    name: c.name,
    createdCertificatesElement: plan.created,
  };
}

export interface ServiceCertificateInput {
  cscfg: string;
  csdef: string;
  role: string;
  name: string;
  thumbprint: string;
  storeLocation?: string;
  storeName?: string;
  permissionLevel?: string;
}

/** Add or replace the certificate in the .cscfg and the .csdef together (both or neither: inputs are validated,
 * both files parsed and both roles found before anything is returned). */
export function setServiceCertificate(input: ServiceCertificateInput): { cscfg: PatchResult; csdef: PatchResult } {
  const cscfg = setCscfgCertificate(input.cscfg, { role: input.role, name: input.name, thumbprint: input.thumbprint });
  const csdef = setCsdefCertificate(input.csdef, {
    role: input.role,
    name: input.name,
    ...(input.storeLocation !== undefined ? { storeLocation: input.storeLocation } : {}),
    ...(input.storeName !== undefined ? { storeName: input.storeName } : {}),
    ...(input.permissionLevel !== undefined ? { permissionLevel: input.permissionLevel } : {}),
  });
  return { cscfg, csdef };
}

export interface ThumbprintEdit {
  role: string;
  name: string;
  /** The new value, written as given (callers pass a validated, uppercase thumbprint — or, to undo, the old text). */
  thumbprint: string;
}

/**
 * Rewrite the `thumbprint` attribute of the given `<Certificate>` elements of a .cscfg, and nothing else: each value is
 * replaced inside its own quotes, so every other byte (other roles and certificates, `thumbprintAlgorithm` or its
 * absence, BOM, newlines, comments) stays as it was. All edits or none: every role and certificate must exist once
 * and already carry a thumbprint attribute. The result is read back and verified.
 */
export function setCscfgThumbprints(text: string, edits: ThumbprintEdit[]): string {
  if (edits.length === 0) return text;
  const { src, kind } = parseServiceFile(text, 'cscfg');
  const splices: Array<{ start: number; end: number; text: string }> = [];
  for (const edit of edits) {
    const role = findRole(src, kind, edit.role);
    const certs = childElements(role, 'Certificates').flatMap((c) => childElements(c, 'Certificate'));
    const hits = certs.filter((c) => c.getAttribute('name') === edit.name);
    if (hits.length !== 1) {
      throw new ServiceConfigError(
        hits.length ? 'duplicate-certificate' : 'certificate-not-found',
        hits.length
          ? `The certificate "${edit.name}" appears ${hits.length} times in role "${edit.role}".`
          : `Role "${edit.role}" has no certificate "${edit.name}".`,
        'Load the live configuration again; each certificate name must appear once per role.',
      );
    }
    const span = attributeSpans(src, hits[0] as Element).find((a) => a.name === 'thumbprint');
    if (!span) {
      throw new ServiceConfigError(
        'certificate-not-found',
        `Certificate "${edit.name}" in role "${edit.role}" has no thumbprint attribute.`,
        'Add the thumbprint attribute to that <Certificate> first.',
      );
    }
    if (hits[0]!.getAttribute('thumbprint') !== edit.thumbprint)
      splices.push({ start: span.valueStart, end: span.valueEnd, text: escapeXmlAttribute(edit.thumbprint) });
  }
  const out = splices.length ? applyEdits(src, splices) : text;
  const info = readServiceFile(out, 'cscfg');
  for (const edit of edits) {
    const c = info.roles.find((r) => r.name === edit.role)?.certificates.filter((x) => x.name === edit.name) ?? [];
    if (c.length !== 1 || c[0]!.thumbprint !== edit.thumbprint) {
      throw new ServiceConfigError(
        'unsupported-layout',
        'The patched file did not read back as expected; nothing was changed.',
        'Report this file to the maintainers; edit the thumbprint by hand meanwhile.',
      );
    }
  }
  return out;
}
