/**
 * Remove elements by editing only their text: `removeCertificate` and `removeCsesLeftovers` (the RemoteAccess /
 * RemoteForwarder plugin imports and settings, and the RemoteAccess PasswordEncryption certificate).
 * An element alone on its line(s) is removed with its whole line(s); otherwise only the element's text goes.
 * A `<Certificates>` or `<Imports>` left without elements or comments is removed too.
 */
import type { Element, Node } from '@xmldom/xmldom';
import { findCsesLeftovers } from './leftovers';
import { REMOTE_ACCESS_CERTIFICATE, type ServiceIssue } from './issues';
import { validateCertificateName, validateRoleName } from './elements';
import { ServiceConfigError } from './errors';
import { parseServiceFile, roleElements, type ServiceFileKind } from './read';
import { applyEdits, childElements, elementChildren, endOffset, startOffset, type XmlSource } from './xml';

type Edit = { start: number; end: number; text: string };

/** The text range that removing `el` should delete. */
function removalRange(src: XmlSource, el: Node): Edit {
  const body = src.body;
  const start = startOffset(src, el);
  const end = endOffset(src, el);
  let ls = start;
  while (ls > 0 && (body[ls - 1] === ' ' || body[ls - 1] === '\t')) ls--;
  const atLineStart = ls === 0 || body[ls - 1] === '\n' || body[ls - 1] === '\r';
  let le = end;
  while (le < body.length && (body[le] === ' ' || body[le] === '\t')) le++;
  const atLineEnd = le === body.length || body[le] === '\n' || body[le] === '\r';
  if (atLineStart && atLineEnd && ls > 0) {
    // Remove the line break before the element's line, so the previous line keeps its own ending.
    let from = ls - 1;
    if (body[from] === '\n' && body[from - 1] === '\r') from--;
    return { start: from, end: le, text: '' };
  }
  if (atLineStart && atLineEnd) {
    let to = le;
    if (body[to] === '\r' && body[to + 1] === '\n') to += 2;
    else if (body[to] === '\n' || body[to] === '\r') to += 1;
    return { start: ls, end: to, text: '' };
  }
  return { start, end, text: '' };
}

function hasComment(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 8) return true;
  return false;
}

/** Edits removing `targets`, collapsing a container left empty (no elements, no comments) into one removal. */
function removalEdits(src: XmlSource, targets: Element[], collapsible: string[]): Edit[] {
  const set = new Set<Element>(targets);
  const parents = new Set<Element>();
  for (const t of targets) if (t.parentNode) parents.add(t.parentNode as Element);
  const edits: Edit[] = [];
  const done = new Set<Element>();
  for (const parent of parents) {
    const name = parent.localName ?? parent.nodeName;
    const kids = elementChildren(parent);
    if (collapsible.includes(name) && kids.every((k) => set.has(k)) && !hasComment(parent)) {
      edits.push(removalRange(src, parent));
      for (const k of kids) done.add(k);
    }
  }
  for (const t of targets) if (!done.has(t)) edits.push(removalRange(src, t));
  return edits;
}

export interface RemoveResult {
  text: string;
  /** What was removed (empty when nothing matched; `text` is then the input). */
  removed: ServiceIssue[];
  kind: ServiceFileKind;
}

/** Remove what Cloud Services (extended support) rejects (see `findCsesLeftovers`) from a .cscfg or .csdef. */
export function removeCsesLeftovers(text: string): RemoveResult {
  const { src, kind } = parseServiceFile(text);
  const issues = findCsesLeftovers(text);
  if (issues.length === 0) return { text, removed: [], kind };
  const targets: Element[] = [];
  for (const role of roleElements(src, kind)) {
    for (const imports of childElements(role, 'Imports')) {
      for (const im of childElements(imports, 'Import')) {
        if (/^Remote(Access|Forwarder)$/i.test(im.getAttribute('moduleName') ?? '')) targets.push(im);
      }
    }
    for (const cs of childElements(role, 'ConfigurationSettings')) {
      for (const s of childElements(cs, 'Setting')) {
        if (/^Microsoft\.WindowsAzure\.Plugins\.Remote(Access|Forwarder)\./i.test(s.getAttribute('name') ?? '')) {
          targets.push(s);
        }
      }
    }
    for (const certs of childElements(role, 'Certificates')) {
      for (const c of childElements(certs, 'Certificate')) {
        if ((c.getAttribute('name') ?? '').toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase()) targets.push(c);
      }
    }
  }
  const out = applyEdits(src, removalEdits(src, targets, ['Imports', 'Certificates']));
  parseServiceFile(out, kind); // must still be well-formed
  return { text: out, removed: issues, kind };
}

/** Remove `<Certificate name>` from one role of a .cscfg or .csdef (`removed` is empty when it was not there). */
export function removeCertificate(text: string, role: string, name: string): RemoveResult {
  validateRoleName(role);
  validateCertificateName(name);
  const { src, kind } = parseServiceFile(text);
  const roles = roleElements(src, kind).filter((r) => r.getAttribute('name') === role);
  if (roles.length === 0) {
    throw new ServiceConfigError(
      'role-not-found',
      `There is no role "${role}" in this ${kind === 'cscfg' ? '.cscfg' : '.csdef'}.`,
      'Use a role name exactly as it appears in the file.',
    );
  }
  const targets = roles.flatMap((r) =>
    childElements(r, 'Certificates').flatMap((cs) =>
      childElements(cs, 'Certificate').filter((c) => c.getAttribute('name') === name),
    ),
  );
  if (targets.length === 0) return { text, removed: [], kind };
  const out = applyEdits(src, removalEdits(src, targets, ['Certificates']));
  parseServiceFile(out, kind);
  return {
    text: out,
    removed: targets.map((t) => ({
      severity: 'warning' as const,
      code: 'certificate-removed',
      message: `Removed certificate "${name}" from role "${role}".`,
      action: '',
      role,
      certificate: name,
      file: kind,
      line: t.lineNumber ?? 0,
      column: t.columnNumber ?? 0,
    })),
    kind,
  };
}
