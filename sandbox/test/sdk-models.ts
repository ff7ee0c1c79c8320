import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSerializer, type CompositeMapper, type Mapper } from '@azure/core-client';

// The SDKs' own models, as a guard on every response body the sandbox sends (issue 12, "a guard for what comes
// next"). Two kinds of SDK are in play:
// - @azure/arm-compute 23.3.0 is AutoRest-generated: its `Mappers` go through @azure/core-client's createSerializer,
//   and `checkMapper` enforces what the mappers declare (required properties, constraints, types) on the wire body;
// - @azure/keyvault-certificates 4.10, @azure/keyvault-secrets 4.11 and @azure/arm-keyvault 5.0 are TypeSpec-generated
//   and have no Mappers: each response goes through the SDK's own generated deserializer (what the client runs), and
//   the result is checked against the SDK's model declarations (models.d.ts: required properties, Date / Uint8Array /
//   number / boolean / string types, nested models); the wire body is watched while the deserializer reads it, and a
//   field the SDK never reads is one it does not model.

const require = createRequire(import.meta.url);

export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

// ---- TypeSpec-generated SDKs ----------------------------------------------------------------------------------------

interface Prop {
  optional: boolean;
  type: string;
}
interface Model {
  props: Map<string, Prop>;
  bases: string[];
}

export interface TypeSpecModels {
  models: Map<string, Model>;
  aliases: Map<string, string>;
  deserializers: Record<string, (item: unknown) => unknown>;
}

/** Reads a TypeSpec SDK's `dist/esm/models/models.d.ts` (regular, generated text) and imports its deserializers. */
export async function loadTypeSpecModels(pkg: string): Promise<TypeSpecModels> {
  const dir = join(packageDir(pkg), 'dist', 'esm', 'models');
  const dts = readFileSync(join(dir, 'models.d.ts'), 'utf8');
  const models = new Map<string, Model>();
  const aliases = new Map<string, string>();
  const block = /export (?:interface (\w+)(?: extends ([\w, ]+))? \{|type (\w+) = \{)\n([\s\S]*?)\n\}/g;
  for (const m of dts.matchAll(block)) {
    const name = (m[1] ?? m[3])!;
    const props = new Map<string, Prop>();
    for (const line of m[4]!.split('\n')) {
      const p = /^\s+(?:readonly )?"?([\w@.-]+)"?(\?)?: (.+);$/.exec(line);
      if (p) props.set(p[1]!, { optional: p[2] === '?', type: p[3]! });
    }
    models.set(name, { props, bases: m[2] ? m[2].split(',').map((s) => s.trim()) : [] });
  }
  for (const m of dts.matchAll(/^export type (\w+) = ([^{\n]+);$/gm)) aliases.set(m[1]!, m[2]!.trim());
  const deserializers = (await import(pathToFileURL(join(dir, 'models.js')).href)) as TypeSpecModels['deserializers'];
  return { models, aliases, deserializers };
}

/** Wraps a parsed JSON body so that every property the deserializer reads is recorded (`a.b[].c`). */
function watched(body: unknown, read: Set<string>, path = ''): unknown {
  if (typeof body !== 'object' || body === null) return body;
  return new Proxy(body as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string' || (Array.isArray(target) && !/^\d+$/.test(key))) return v;
      const p = Array.isArray(target) ? `${path}[]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(target)) read.add(p);
      return watched(v, read, p);
    },
    ownKeys(target) {
      // Object.entries / Object.keys (records such as tags): every key counts as read.
      if (!Array.isArray(target)) for (const k of Object.keys(target)) read.add(path ? `${path}.${k}` : k);
      return Reflect.ownKeys(target);
    },
  });
}

function wirePaths(x: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) for (const item of x) wirePaths(item, `${prefix}[]`, out);
  else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) {
      const key = prefix ? `${prefix}.${k}` : k;
      out.add(key);
      wirePaths(v, key, out);
    }
  return out;
}

function checkType(t: TypeSpecModels, value: unknown, type: string, path: string, errors: string[]): void {
  const ty = type.replace(/ \| null$/, '').trim();
  if (value === undefined || value === null) return;
  if (ty.endsWith('[]')) {
    if (!Array.isArray(value)) errors.push(`${path}: expected an array`);
    else value.forEach((v, i) => checkType(t, v, ty.slice(0, -2), `${path}[${i}]`, errors));
    return;
  }
  const rec = /^Record<string, (.+)>$/.exec(ty);
  if (rec) {
    if (typeof value !== 'object') errors.push(`${path}: expected an object`);
    else for (const [k, v] of Object.entries(value)) checkType(t, v, rec[1]!, `${path}.${k}`, errors);
    return;
  }
  const alias = t.aliases.get(ty);
  if (alias) return checkType(t, value, alias, path, errors);
  if (/^"[^"]*"( \| "[^"]*")*$/.test(ty)) {
    const allowed = ty.split(' | ').map((s) => s.slice(1, -1));
    if (!allowed.includes(String(value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${ty}`);
    return;
  }
  switch (ty) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== ty) errors.push(`${path}: expected ${ty}, got ${JSON.stringify(value)}`);
      return;
    case 'Date':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) errors.push(`${path}: not a valid date`);
      return;
    case 'Uint8Array':
      if (!(value instanceof Uint8Array)) errors.push(`${path}: expected bytes`);
      return;
    case 'any':
    case 'unknown':
      return;
  }
  if (!t.models.has(ty)) {
    errors.push(`${path}: the SDK's type ${ty} is not understood by this check`);
    return;
  }
  checkModel(t, value, ty, path, errors);
}

function allProps(t: TypeSpecModels, name: string): Map<string, Prop> {
  const m = t.models.get(name)!;
  const out = new Map<string, Prop>();
  for (const b of m.bases) if (t.models.has(b)) for (const [k, v] of allProps(t, b)) out.set(k, v);
  for (const [k, v] of m.props) out.set(k, v);
  return out;
}

function checkModel(t: TypeSpecModels, value: unknown, name: string, path: string, errors: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${path || name}: expected an object`);
    return;
  }
  for (const [k, p] of allProps(t, name)) {
    const v = (value as Record<string, unknown>)[k];
    const at = path ? `${path}.${k}` : k;
    if (v === undefined && !p.optional) errors.push(`${at}: required by ${name}, missing`);
    else checkType(t, v, p.type, at, errors);
  }
}

/**
 * Runs `body` through the SDK's deserializer for `model` (e.g. `CertificateBundle` → certificateBundleDeserializer)
 * and returns what is wrong: the deserializer throws, a required property is missing, a value has the wrong type, or
 * the body has fields the SDK does not read. Empty when the SDK takes the body cleanly.
 */
export function typeSpecProblems(t: TypeSpecModels, model: string, body: unknown): string[] {
  const fnName = model.startsWith('_')
    ? `_${model[1]!.toLowerCase()}${model.slice(2)}Deserializer`
    : `${model[0]!.toLowerCase()}${model.slice(1)}Deserializer`;
  const fn = t.deserializers[fnName];
  if (!fn) return [`no deserializer for ${model}`];
  const read = new Set<string>();
  let out: unknown;
  try {
    out = fn(watched(body, read));
  } catch (e) {
    return [`the SDK's deserializer threw: ${(e as Error).message}`];
  }
  const errors: string[] = [];
  checkModel(t, out, model, '', errors);
  // Records (tags) are read through Object.entries, which the watcher counts; anything else unread is a field the
  // SDK does not model.
  for (const p of wirePaths(body)) if (!read.has(p)) errors.push(`${p}: not modelled by the SDK`);
  return errors;
}

// ---- AutoRest-generated SDKs (core-client Mappers) -------------------------------------------------------------------

type Mappers = Record<string, CompositeMapper>;

function checkConstraints(m: Mapper, v: unknown, path: string, errors: string[]): void {
  const c = m.constraints;
  if (!c) return;
  if (typeof v === 'string') {
    if (c.MaxLength !== undefined && v.length > c.MaxLength) errors.push(`${path}: longer than ${c.MaxLength}`);
    if (c.MinLength !== undefined && v.length < c.MinLength) errors.push(`${path}: shorter than ${c.MinLength}`);
    if (c.Pattern !== undefined && !new RegExp(c.Pattern).test(v)) errors.push(`${path}: does not match ${c.Pattern}`);
  }
  if (typeof v === 'number') {
    if (c.InclusiveMaximum !== undefined && v > c.InclusiveMaximum) errors.push(`${path}: > ${c.InclusiveMaximum}`);
    if (c.InclusiveMinimum !== undefined && v < c.InclusiveMinimum) errors.push(`${path}: < ${c.InclusiveMinimum}`);
    if (c.ExclusiveMaximum !== undefined && v >= c.ExclusiveMaximum) errors.push(`${path}: >= ${c.ExclusiveMaximum}`);
    if (c.ExclusiveMinimum !== undefined && v <= c.ExclusiveMinimum) errors.push(`${path}: <= ${c.ExclusiveMinimum}`);
  }
  if (Array.isArray(v)) {
    if (c.MaxItems !== undefined && v.length > c.MaxItems) errors.push(`${path}: more than ${c.MaxItems} items`);
    if (c.MinItems !== undefined && v.length < c.MinItems) errors.push(`${path}: fewer than ${c.MinItems} items`);
  }
}

/** Splits a serializedName on its unescaped dots (flattened `properties.x`). */
function nameParts(serializedName: string): string[] {
  return serializedName.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
}

function checkWire(mappers: Mappers, m: Mapper, v: unknown, path: string, errors: string[]): void {
  if (v === undefined || v === null) return;
  checkConstraints(m, v, path, errors);
  const kind = m.type.name;
  if (kind === 'Composite') {
    const composite = mappers[(m as CompositeMapper).type.className!] ?? (m as CompositeMapper);
    if (typeof v !== 'object' || Array.isArray(v)) {
      errors.push(`${path}: expected an object`);
      return;
    }
    const props = composite.type.modelProperties ?? {};
    const known = new Map<string, unknown>(); // serialized path → seen
    for (const pm of Object.values(props)) {
      if (!pm.serializedName) continue;
      const parts = nameParts(pm.serializedName);
      let cur: unknown = v;
      for (const part of parts) cur = cur === undefined || cur === null ? undefined : (cur as never)[part];
      for (let i = 1; i <= parts.length; i++) known.set(parts.slice(0, i).join('.'), true);
      const at = path ? `${path}.${parts.join('.')}` : parts.join('.');
      if ((cur === undefined || cur === null) && pm.required) errors.push(`${at}: required, missing`);
      else checkWire(mappers, pm, cur, at, errors);
    }
    if (!composite.type.additionalProperties) {
      // every key at every level that the mapper's serialized names go through must be one of them
      const walk = (obj: unknown, prefix: string) => {
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return;
        for (const k of Object.keys(obj)) {
          const p = prefix ? `${prefix}.${k}` : k;
          if (!known.has(p)) errors.push(`${path ? `${path}.` : ''}${p}: not modelled by the SDK`);
          else if (![...known.keys()].some((x) => x.startsWith(`${p}.`))) continue;
          else walk((obj as Record<string, unknown>)[k], p);
        }
      };
      walk(v, '');
    }
    return;
  }
  if (kind === 'Sequence') {
    if (!Array.isArray(v)) errors.push(`${path}: expected an array`);
    else v.forEach((x, i) => checkWire(mappers, (m.type as { element: Mapper }).element, x, `${path}[${i}]`, errors));
    return;
  }
  if (kind === 'Dictionary') {
    if (typeof v !== 'object') errors.push(`${path}: expected an object`);
    else
      for (const [k, x] of Object.entries(v))
        checkWire(mappers, (m.type as { value: Mapper }).value, x, `${path}.${k}`, errors);
    return;
  }
  if (kind === 'String' || kind === 'Uuid' || kind === 'DateTime' || kind === 'Date' || kind === 'DateTimeRfc1123') {
    if (typeof v !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(v)}`);
    else if ((kind === 'DateTime' || kind === 'Date') && Number.isNaN(Date.parse(v)))
      errors.push(`${path}: not a date`);
  } else if (kind === 'Number' && typeof v !== 'number') errors.push(`${path}: expected a number`);
  else if (kind === 'Boolean' && typeof v !== 'boolean') errors.push(`${path}: expected a boolean`);
  else if (kind === 'Enum') {
    const allowed = (m.type as { allowedValues: unknown[] }).allowedValues;
    if (!allowed.includes(v)) errors.push(`${path}: ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
  }
}

/**
 * Deserialises `body` with the SDK's mapper through core-client's serializer (it must not throw) and checks what
 * the mappers declare on the wire body: required properties, constraints, types, and no unmodelled fields.
 */
export function mapperProblems(mappers: Mappers, mapperName: string, body: unknown): string[] {
  const mapper = mappers[mapperName];
  if (!mapper) return [`no mapper ${mapperName}`];
  try {
    createSerializer(mappers, false).deserialize(mapper, body, 'body');
  } catch (e) {
    return [`core-client's serializer threw: ${(e as Error).message}`];
  }
  const errors: string[] = [];
  checkWire(mappers, mapper, body, '', errors);
  return errors;
}
