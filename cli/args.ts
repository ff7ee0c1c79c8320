/** A small, strict argument parser: `--name value`, `--name=value`, boolean flags, positionals, `--`. */
import { CliError } from './errors';

export interface OptionSpec {
  /** Takes a value (`--vault-id ID`) or is a flag (`--json`). */
  type: 'string' | 'boolean';
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  short?: string;
}

export interface ParsedArgs {
  options: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>, usage: string): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.short) byShort.set(s.short, name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) inline = arg.slice(eq + 1);
    } else if (arg.startsWith('-') && arg.length === 2 && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (!name) throw new CliError('unknown-option', `Unknown option ${arg}.`, `See: ${usage}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) throw new CliError('unknown-option', `Unknown option --${name}.`, `See: ${usage}`);
    if (s.type === 'boolean') {
      if (inline !== undefined) {
        throw new CliError('invalid-option-value', `--${name} takes no value.`, `Write --${name} alone.`);
      }
      options[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new CliError('missing-option-value', `--${name} needs a value.`, `Write --${name} VALUE. See: ${usage}`);
      }
      value = next;
      i++;
    }
    if (s.multiple) {
      const prev = options[name];
      options[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      if (options[name] !== undefined) {
        throw new CliError('invalid-option-value', `--${name} was given twice.`, `Give --${name} once.`);
      }
      options[name] = value;
    }
  }
  return { options, positionals };
}

export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: ParsedArgs, name: string): string[] {
  const v = p.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(p: ParsedArgs, name: string): boolean {
  return p.options[name] === true;
}

export function requireStr(p: ParsedArgs, name: string, usage: string): string {
  const v = str(p, name);
  if (v === undefined) {
    throw new CliError('missing-argument', `--${name} is required.`, `Usage: ${usage}`);
  }
  return v;
}

export function onePositional(p: ParsedArgs, what: string, usage: string): string {
  if (p.positionals.length === 0) throw new CliError('missing-argument', `${what} is required.`, `Usage: ${usage}`);
  if (p.positionals.length > 1) {
    throw new CliError(
      'too-many-arguments',
      `Unexpected argument ${JSON.stringify(p.positionals[1])}.`,
      `Usage: ${usage} (quote values that contain spaces).`,
    );
  }
  return p.positionals[0] as string;
}
