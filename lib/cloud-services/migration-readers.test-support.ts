/**
 * Test support (unit and CLI tests only): read every migration output back — ARM JSON, Bicep (a small reader of
 * the subset the renderer writes), an az script (run in bash against a stub `az` that records each call) and
 * PowerShell (a tokenizer of single-quoted strings, parameters and variables) — into one list of certificate
 * placements, so a test can check each certificate lands exactly once, in the right store, with the right URL form.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MigrationFormat, MigrationTarget } from '../snippets';

/** One certificate put somewhere by an output. */
export interface Placement {
  /** The scale set / node type (or `app-service`). */
  resource: string;
  url: string;
  store?: string;
  location?: string;
}

type V = string | number | boolean | null | V[] | { [k: string]: V };

// ------------------------------------------------------------------------------------------------------- Bicep

export interface BicepFile {
  params: string[];
  resources: Array<{ symbol: string; type: string; existing: boolean; body: { [k: string]: V } }>;
}

export function readBicep(src: string): BicepFile {
  let i = 0;
  const err = (what: string): never => {
    throw new Error(`bicep: ${what} at ${i}: ${JSON.stringify(src.slice(i, i + 30))}`);
  };
  const ws = () => {
    for (;;) {
      while (i < src.length && /[ \t\r\n]/.test(src[i]!)) i++;
      if (src.startsWith('//', i)) while (i < src.length && src[i] !== '\n') i++;
      else return;
    }
  };
  const str = (): string => {
    if (src[i] !== "'") err('expected string');
    i++;
    let out = '';
    for (;;) {
      if (i >= src.length) err('unterminated string');
      const c = src[i]!;
      if (c === "'") break;
      if (c === '\\') {
        const e = src[i + 1]!;
        const map: Record<string, string> = { '\\': '\\', "'": "'", n: '\n', r: '\r', t: '\t', $: '$' };
        if (map[e] === undefined) err(`bad escape \\${e}`);
        out += map[e];
        i += 2;
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        const start = i;
        expr();
        if (src[i] !== '}') err('unterminated interpolation');
        out += `\${${src.slice(start, i)}}`;
        i++;
      } else {
        out += c;
        i++;
      }
    }
    i++;
    return out;
  };
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) return err('expected identifier');
    i += m[0].length;
    return m[0];
  };
  const expr = (): string => {
    const start = i;
    ident();
    for (;;) {
      if (src[i] === '.') {
        i++;
        ident();
      } else if (src[i] === '(') {
        i++;
        ws();
        while (src[i] !== ')') {
          value();
          ws();
          if (src[i] === ',') i++;
          ws();
        }
        i++;
      } else break;
    }
    return `<expr:${src.slice(start, i)}>`;
  };
  const value = (): V => {
    ws();
    const c = src[i];
    if (c === "'") return str();
    if (c === '{') {
      i++;
      const obj: { [k: string]: V } = {};
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return obj;
        }
        const key = src[i] === "'" ? str() : ident();
        ws();
        if (src[i] !== ':') err('expected :');
        i++;
        if (key in obj) err(`duplicate key ${key}`);
        obj[key] = value();
      }
    }
    if (c === '[') {
      i++;
      const arr: V[] = [];
      for (;;) {
        ws();
        if (src[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
      }
    }
    const num = /^-?\d+/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    if (src.startsWith('true', i) && !/[A-Za-z0-9_]/.test(src[i + 4] ?? '')) {
      i += 4;
      return true;
    }
    if (src.startsWith('false', i) && !/[A-Za-z0-9_]/.test(src[i + 5] ?? '')) {
      i += 5;
      return false;
    }
    return expr();
  };
  const out: BicepFile = { params: [], resources: [] };
  for (;;) {
    ws();
    if (i >= src.length) break;
    if (src[i] === '@') {
      i++;
      expr();
      continue;
    }
    const kw = ident();
    ws();
    if (kw === 'param') {
      out.params.push(ident());
      ws();
      ident();
      ws();
      if (src[i] === '=') {
        i++;
        value();
      }
    } else if (kw === 'resource') {
      const symbol = ident();
      ws();
      const type = str();
      ws();
      let existing = false;
      if (src.startsWith('existing', i)) {
        existing = true;
        i += 'existing'.length;
        ws();
      }
      if (src[i] !== '=') err('expected =');
      i++;
      const body = value();
      if (typeof body !== 'object' || body === null || Array.isArray(body)) err('resource body');
      out.resources.push({ symbol, type, existing, body: body as { [k: string]: V } });
    } else err(`unexpected keyword ${kw}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- JSON placements

function find(v: V, key: string, out: V[] = []): V[] {
  if (Array.isArray(v)) v.forEach((x) => find(x, key, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === key) out.push(x);
      find(x, key, out);
    }
  }
  return out;
}

/** Certificates in a resource's body (ARM or Bicep tree). */
function placementsIn(resource: string, body: V, target: MigrationTarget): Placement[] {
  const out: Placement[] = [];
  if (target === 'vmss' || target === 'sf-managed') {
    for (const list of find(body, 'vaultCertificates'))
      for (const c of list as Array<{ certificateUrl: string; certificateStore: string }>)
        out.push({ resource, url: c.certificateUrl, store: c.certificateStore });
  } else if (target === 'kv-extension') {
    for (const list of find(body, 'observedCertificates'))
      for (const c of list as Array<{ url: string; certificateStoreName: string; certificateStoreLocation: string }>)
        out.push({ resource, url: c.url, store: c.certificateStoreName, location: c.certificateStoreLocation });
  } else {
    for (const p of find(body, 'properties') as Array<{ keyVaultSecretName?: string; keyVaultId?: string }>)
      if (p.keyVaultSecretName)
        out.push({ resource: 'app-service', url: `${String(p.keyVaultId).split('/').pop()}/${p.keyVaultSecretName}` });
  }
  return out;
}

const lastQuoted = (s: string) => [...s.matchAll(/'([^']*)'/g)].pop()?.[1] ?? s;

export function armPlacements(text: string, target: MigrationTarget): Placement[] {
  const t = JSON.parse(text) as { resources: Array<{ name: string; type: string } & { [k: string]: V }> };
  return t.resources.flatMap((r) => placementsIn(r.name.startsWith('[') ? lastQuoted(r.name) : r.name, r, target));
}

export function bicepPlacements(text: string, target: MigrationTarget): Placement[] {
  return readBicep(text)
    .resources.filter((r) => !r.existing)
    .flatMap((r) => placementsIn(String(r.body.name), r.body, target));
}

// ------------------------------------------------------------------------------------------------------------ az

export interface AzRun {
  calls: string[][];
  files: Record<string, string>;
}

/** Runs the script in bash with a stub `az` (records its arguments, prints a placeholder id). */
export function runAz(script: string, env: Record<string, string> = {}): AzRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'cses-migrate-az-'));
  try {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'az'),
      '#!/usr/bin/env bash\nprintf \'%s\\0\' "$@" >> "$AZ_LOG"; printf \'\\036\' >> "$AZ_LOG"\necho stub-value\n',
      { mode: 0o755 },
    );
    const work = path.join(dir, 'work');
    mkdirSync(work);
    writeFileSync(path.join(dir, 'run.sh'), script);
    execFileSync('bash', [path.join(dir, 'run.sh')], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        AZ_LOG: path.join(dir, 'az.log'),
        ADMIN_USERNAME: 'azureadmin',
        ADMIN_PASSWORD: 'not-a-real-password',
        WEBAPP_NAME: 'app-contoso',
        ...env,
      },
    });
    const log = readFileSync(path.join(dir, 'az.log'), 'utf8');
    const calls = log
      .split('\x1e')
      .filter(Boolean)
      .map((l) => l.split('\0').slice(0, -1));
    const files = Object.fromEntries(readdirSync(work).map((f) => [f, readFileSync(path.join(work, f), 'utf8')]));
    return { calls, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const arg = (call: string[], name: string) => {
  const k = call.indexOf(name);
  return k >= 0 ? call[k + 1] : undefined;
};

export function azPlacements(run: AzRun, target: MigrationTarget): Placement[] {
  const out: Placement[] = [];
  if (target === 'vmss') {
    for (const call of run.calls.filter((c) => c[0] === 'vmss' && c[1] === 'create')) {
      const file = arg(call, '--secrets')!.replace(/^@/, '');
      out.push(...placementsIn(arg(call, '--name')!, { s: JSON.parse(run.files[file]!) as V }, target));
    }
  } else if (target === 'kv-extension') {
    for (const call of run.calls.filter((c) => c[0] === 'vmss' && c[1] === 'extension')) {
      const settings = JSON.parse(arg(call, '--settings')!) as V;
      out.push(...placementsIn(arg(call, '--vmss-name')!, settings, target));
    }
  } else if (target === 'sf-managed') {
    for (const call of run.calls.filter((c) => c[0] === 'sf' && c[2] === 'vm-secret'))
      out.push({
        resource: arg(call, '--name')!,
        url: arg(call, '--certificate-url')!,
        store: arg(call, '--certificate-store'),
      });
  } else {
    for (const call of run.calls.filter((c) => c[0] === 'webapp' && c[3] === 'import'))
      out.push({
        resource: 'app-service',
        url: `${arg(call, '--key-vault')!.split('/').pop()}/${arg(call, '--key-vault-certificate-name')}`,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- PowerShell

export type PsToken = { kind: 'word' | 'param' | 'string' | 'var' | 'punct'; text: string };

/** Tokenizes one PowerShell line: bare words, -Parameters, '…' strings ('' and the typographic quotes doubled), $vars. */
export function psTokens(line: string): PsToken[] {
  const out: PsToken[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') break;
    else if (/['\u2018\u2019\u201A\u201B]/.test(c)) {
      i++;
      let s = '';
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated string in ${line}`);
        const ch = line[i]!;
        if (/['\u2018\u2019\u201A\u201B]/.test(ch)) {
          if (/['\u2018\u2019\u201A\u201B]/.test(line[i + 1] ?? '')) {
            s += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ kind: 'string', text: s });
    } else if (c === '"') throw new Error(`double-quoted string (expands variables) in ${line}`);
    else if (c === '$') {
      const m = /^\$[A-Za-z_][\w.]*/.exec(line.slice(i))!;
      out.push({ kind: 'var', text: m[0] });
      i += m[0].length;
    } else if (c === '-' && /[A-Za-z]/.test(line[i + 1] ?? '')) {
      const m = /^-[A-Za-z]+/.exec(line.slice(i))!;
      out.push({ kind: 'param', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z0-9]/.test(c)) {
      const m = /^[\w.-]+/.exec(line.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

function psArg(tokens: PsToken[], name: string): string | undefined {
  const k = tokens.findIndex((t) => t.kind === 'param' && t.text.toLowerCase() === name.toLowerCase());
  const v = k >= 0 ? tokens[k + 1] : undefined;
  return v?.kind === 'string' || v?.kind === 'var' ? v.text : undefined;
}

export function powershellPlacements(text: string, target: MigrationTarget): Placement[] {
  const out: Placement[] = [];
  let resource = '';
  let depth = 0;
  for (const line of text.split('\n')) {
    const t = psTokens(line);
    for (const p of t)
      if (p.kind === 'punct') depth += p.text === '(' || p.text === '{' ? 1 : p.text === ')' || p.text === '}' ? -1 : 0;
    if (t[0]?.text === '$vmssName' && t[2]?.kind === 'string') resource = t[2].text;
    const cmd = t.find((x) => x.kind === 'word')?.text;
    if (target === 'vmss' && cmd === 'New-AzVmssVaultCertificateConfig')
      out.push({ resource, url: psArg(t, '-CertificateUrl')!, store: psArg(t, '-CertificateStore')! });
    if (target === 'kv-extension' && cmd === 'ConvertFrom-Json')
      out.push(...placementsIn(resource, JSON.parse(t.find((x) => x.kind === 'string')!.text) as V, target));
    if (target === 'sf-managed' && cmd === 'Add-AzServiceFabricManagedNodeTypeVMSecret')
      out.push({
        resource: psArg(t, '-Name')!,
        url: psArg(t, '-CertificateUrl')!,
        store: psArg(t, '-CertificateStore')!,
      });
    if (target === 'app-service' && cmd === 'Import-AzWebAppKeyVaultCertificate')
      out.push({ resource: 'app-service', url: `${psArg(t, '-KeyVaultName')}/${psArg(t, '-CertName')}` });
  }
  if (depth !== 0) throw new Error('unbalanced parentheses or braces');
  return out;
}

export function placements(format: MigrationFormat, text: string, target: MigrationTarget): Placement[] {
  switch (format) {
    case 'arm':
      return armPlacements(text, target);
    case 'bicep':
      return bicepPlacements(text, target);
    case 'az':
      return azPlacements(runAz(text), target);
    case 'powershell':
      return powershellPlacements(text, target);
  }
}
