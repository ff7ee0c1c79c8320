/**
 * Parse with the xmldom DOM (never regex) and map nodes back to offsets in the original text, so edits can be
 * spliced into the original string and everything else stays byte-for-byte (BOM, CRLF, comments, attribute order,
 * indentation).
 *
 * How positions are found: xmldom's locator gives the 1-based line/column of the start of every node. We parse the
 * text exactly as given (line endings are NOT normalized, BOM removed first and re-added on output), so a
 * line/column maps to one offset. The end of a node is derived from the DOM: a self-closing element ends at its
 * `/>`; an element with content ends at the `>` of the end tag that follows its last child's end; text ends at the
 * next `<`; comments, CDATA and processing instructions end at their terminators.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { ServiceConfigError } from './errors';

export const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

export type Newline = '\r\n' | '\n' | '\r';

export interface XmlSource {
  /** The original text, as given. */
  text: string;
  /** True when the text starts with U+FEFF. */
  bom: boolean;
  /** The text without the BOM: all offsets below are into `body`. */
  body: string;
  /** The file's newline style (the first newline found; `\r\n` when there is none). */
  newline: Newline;
  doc: Document;
  root: Element;
  /** Offset in `body` of the start of each line (index 0 = line 1). */
  lineStarts: number[];
}

function computeLineStarts(body: string): number[] {
  // Same line breaks as xmldom's locator: \r\n, \r, \n.
  const starts = [0];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 13) {
      if (body.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function detectNewline(body: string): Newline {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 13) return body.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
    if (c === 10) return '\n';
  }
  return '\r\n';
}

const PARSE_ACTION =
  'Fix the XML at that line and column (an unclosed tag, a stray "&" — write "&amp;" — or an unquoted attribute are common), or upload the original file.';

/** Parse a .cscfg/.csdef (or any XML) text. Throws `ServiceConfigError('xml-parse-error')` with line/column. */
export function parseXml(text: string): XmlSource {
  if (typeof text !== 'string') {
    throw new ServiceConfigError('xml-parse-error', 'No XML text was given.', PARSE_ACTION);
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  let firstError: { message: string; line?: number; column?: number } | null = null;
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: true,
      normalizeLineEndings: (s: string) => s,
      onError: (level, message, context) => {
        // xmldom reports several well-formedness violations (unquoted attribute values, missing spaces between
        // attributes) only as warnings; they are errors for Azure's parser, so they are errors here. The one benign
        // warning is about U+FFFD in the text.
        if (level === 'warning' && /replacement character/i.test(message)) return;
        const loc = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
        if (!firstError) {
          firstError = { message };
          if (loc?.lineNumber) firstError.line = loc.lineNumber;
          if (loc?.columnNumber) firstError.column = loc.columnNumber;
        }
        throw new Error(message);
      },
    }).parseFromString(body, 'text/xml');
  } catch (e) {
    const err = firstError as { message: string; line?: number; column?: number } | null;
    const raw = err?.message ?? (e instanceof Error ? e.message : String(e));
    const locator = (e as { locator?: { lineNumber?: number; columnNumber?: number } } | null)?.locator;
    const line = err?.line ?? (locator?.lineNumber ? locator.lineNumber : undefined);
    const column = err?.column ?? (locator?.columnNumber ? locator.columnNumber : undefined);
    const where = line !== undefined ? ` at line ${line}${column !== undefined ? `, column ${column}` : ''}` : '';
    const message =
      body.trim() === '' ? 'The file is empty.' : `The file is not well-formed XML${where}: ${cleanMessage(raw)}.`;
    throw new ServiceConfigError('xml-parse-error', message, PARSE_ACTION, {
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  }
  const root = doc.documentElement;
  if (!root) {
    throw new ServiceConfigError('xml-parse-error', 'The file has no root element.', PARSE_ACTION);
  }
  const src: XmlSource = {
    text,
    bom,
    body,
    newline: detectNewline(body),
    doc,
    root,
    lineStarts: computeLineStarts(body),
  };
  checkAmpersands(src, root);
  return src;
}

/** Offset in body → 1-based line/column. */
export function lineColumnAt(src: XmlSource, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = src.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((src.lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (src.lineStarts[lo] ?? 0) + 1 };
}

function isNameStart(c: string): boolean {
  return /[A-Za-z_:]/.test(c) || c.charCodeAt(0) > 0x7f;
}
function isNameChar(c: string): boolean {
  return /[A-Za-z0-9_:.-]/.test(c) || c.charCodeAt(0) > 0x7f;
}

/** Length of a well-formed reference (`&name;`, `&#123;`, `&#x1F;`) starting at `i`, or 0. */
function referenceLength(body: string, i: number): number {
  let j = i + 1;
  if (body[j] === '#') {
    j++;
    const hex = body[j] === 'x';
    if (hex) j++;
    const from = j;
    while (j < body.length && (hex ? /[0-9A-Fa-f]/ : /[0-9]/).test(body[j] as string)) j++;
    return j > from && body[j] === ';' ? j + 1 - i : 0;
  }
  if (j >= body.length || !isNameStart(body[j] as string)) return 0;
  j++;
  while (j < body.length && isNameChar(body[j] as string)) j++;
  return body[j] === ';' ? j + 1 - i : 0;
}

/** xmldom silently accepts a bare `&` (`a & b`); XML does not. Check text and attribute values. */
function checkAmpersands(src: XmlSource, el: Element): void {
  const body = src.body;
  const bad = (offset: number): never => {
    const where = lineColumnAt(src, offset);
    throw new ServiceConfigError(
      'xml-parse-error',
      `The file is not well-formed XML at line ${where.line}, column ${where.column}: a bare "&" (write "&amp;").`,
      PARSE_ACTION,
      where,
    );
  };
  const scan = (from: number, to: number, quotedOnly: boolean) => {
    let quote: string | null = null;
    for (let i = from; i < to; i++) {
      const c = body[i] as string;
      if (quotedOnly) {
        if (quote === null) {
          if (c === '"' || c === "'") quote = c;
          continue;
        }
        if (c === quote) {
          quote = null;
          continue;
        }
      }
      if (c === '&') {
        const n = referenceLength(body, i);
        if (n === 0) bad(i);
        i += n - 1;
      }
    }
  };
  const tag = startTagEnd(src, el);
  scan(startOffset(src, el), tag.end, true);
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE) checkAmpersands(src, c as Element);
    else if (c.nodeType === TEXT_NODE) scan(startOffset(src, c), endOffset(src, c), false);
  }
}

function cleanMessage(m: string): string {
  return m
    .replace(/^\[xmldom [a-zA-Z]+\]\s*/, '')
    .replace(/\s*@#\[line:.*$/s, '')
    .replace(/[.\s]+$/, '');
}

/** Offset in `src.body` where the node starts. */
export function startOffset(src: XmlSource, node: Node): number {
  const line = node.lineNumber;
  const column = node.columnNumber;
  if (!line || !column) {
    throw new ServiceConfigError(
      'unsupported-layout',
      `Could not locate <${node.nodeName}> in the file.`,
      'Report this file to the maintainers; edit it by hand meanwhile.',
    );
  }
  const ls = src.lineStarts[line - 1];
  if (ls === undefined) throw new Error(`line ${line} out of range`);
  return ls + column - 1;
}

function unsupported(what: string): never {
  throw new ServiceConfigError(
    'unsupported-layout',
    `Could not work out where ${what} ends in the file.`,
    'Report this file to the maintainers; edit it by hand meanwhile.',
  );
}

/** Offset just past the `>` of an element's start tag, and whether the element is self-closing. */
export function startTagEnd(src: XmlSource, el: Element): { end: number; selfClosing: boolean } {
  const body = src.body;
  let i = startOffset(src, el);
  if (body[i] !== '<') unsupported(`<${el.nodeName}>`);
  i++;
  while (i < body.length) {
    const c = body[i];
    if (c === '"' || c === "'") {
      const close = body.indexOf(c, i + 1);
      if (close < 0) unsupported(`<${el.nodeName}>`);
      i = close + 1;
      continue;
    }
    if (c === '>') return { end: i + 1, selfClosing: body[i - 1] === '/' };
    i++;
  }
  return unsupported(`<${el.nodeName}>`);
}

/** Offset in `src.body` just past the end of the node. */
export function endOffset(src: XmlSource, node: Node): number {
  const body = src.body;
  const start = startOffset(src, node);
  switch (node.nodeType) {
    case TEXT_NODE: {
      const lt = body.indexOf('<', start);
      return lt < 0 ? body.length : lt;
    }
    case COMMENT_NODE: {
      const e = body.indexOf('-->', start + 4);
      return e < 0 ? unsupported('a comment') : e + 3;
    }
    case CDATA_SECTION_NODE: {
      const e = body.indexOf(']]>', start + 9);
      return e < 0 ? unsupported('a CDATA section') : e + 3;
    }
    case PROCESSING_INSTRUCTION_NODE: {
      const e = body.indexOf('?>', start + 2);
      return e < 0 ? unsupported('a processing instruction') : e + 2;
    }
    case ELEMENT_NODE: {
      const el = node as Element;
      const tag = startTagEnd(src, el);
      if (tag.selfClosing) return tag.end;
      const last = el.lastChild;
      const pos = last ? endOffset(src, last) : tag.end;
      const closing = '</' + el.nodeName;
      if (!body.startsWith(closing, pos)) unsupported(`<${el.nodeName}>`);
      const gt = body.indexOf('>', pos + closing.length);
      if (gt < 0) unsupported(`<${el.nodeName}>`);
      return gt + 1;
    }
    default:
      return unsupported(`a ${node.nodeName} node`);
  }
}

/** The spaces/tabs between the start of the node's line and the node, or null when other text precedes it. */
export function indentOf(src: XmlSource, node: Node): string | null {
  const start = startOffset(src, node);
  let i = start;
  while (i > 0) {
    const c = src.body[i - 1];
    if (c === ' ' || c === '\t') i--;
    else break;
  }
  if (i === 0 || src.body[i - 1] === '\n' || src.body[i - 1] === '\r') return src.body.slice(i, start);
  return null;
}

export function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE) out.push(c as Element);
  }
  return out;
}

/** Local name without prefix (namespace-agnostic matching of ServiceConfiguration/ServiceDefinition elements). */
export function localNameOf(el: Element): string {
  return el.localName ?? el.nodeName.replace(/^.*:/, '');
}

export function childElements(el: Element, localName: string): Element[] {
  return elementChildren(el).filter((c) => localNameOf(c) === localName);
}

/** 1-based line/column of a node (for messages). */
export function positionOf(node: Node): { line: number; column: number } {
  return { line: node.lineNumber ?? 0, column: node.columnNumber ?? 0 };
}

/** Apply non-overlapping edits (offsets into body) and re-add the BOM. */
export function applyEdits(src: XmlSource, edits: Array<{ start: number; end: number; text: string }>): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let body = src.body;
  for (const e of sorted) body = body.slice(0, e.start) + e.text + body.slice(e.end);
  return (src.bom ? '\uFEFF' : '') + body;
}

export interface AttributeSpan {
  name: string;
  /** Offset of the attribute name. */
  start: number;
  /** Offsets of the value between the quotes. */
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'";
}

/** The attributes of an element's start tag as they are written (a lexical scan of the located start tag). */
export function attributeSpans(src: XmlSource, el: Element): AttributeSpan[] {
  const body = src.body;
  const tag = startTagEnd(src, el);
  let i = startOffset(src, el) + 1 + el.nodeName.length;
  const spans: AttributeSpan[] = [];
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  for (;;) {
    while (i < tag.end && isSpace(body[i])) i++;
    const c = body[i];
    if (c === '/' || c === '>' || i >= tag.end) break;
    const nameStart = i;
    while (i < tag.end && !isSpace(body[i]) && body[i] !== '=' && body[i] !== '/' && body[i] !== '>') i++;
    const name = body.slice(nameStart, i);
    while (i < tag.end && isSpace(body[i])) i++;
    if (body[i] !== '=') unsupported(`the attributes of <${el.nodeName}>`);
    i++;
    while (i < tag.end && isSpace(body[i])) i++;
    const q = body[i];
    if (q !== '"' && q !== "'") unsupported(`the attributes of <${el.nodeName}>`);
    const close = body.indexOf(q, i + 1);
    if (close < 0 || close >= tag.end) unsupported(`the attributes of <${el.nodeName}>`);
    spans.push({ name, start: nameStart, valueStart: i + 1, valueEnd: close, quote: q });
    i = close + 1;
  }
  if (spans.length !== el.attributes.length || spans.some((a) => !el.hasAttribute(a.name))) {
    unsupported(`the attributes of <${el.nodeName}>`);
  }
  return spans;
}
