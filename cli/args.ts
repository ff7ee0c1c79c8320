/**
 * The CLI's argument parsing: node:util `parseArgs` reads the command line (`--name value`, `--name=value`, boolean
 * flags, short flags, positionals, `--`), and this adapter turns what it finds into the documented CLI errors
 * (docs/error-codes.md). `parseArgs` runs non-strict with `tokens: true`, so every decision below is ours and the
 * messages stay exactly as documented: an unknown option, a value for a flag, a missing value, a single option given
 * twice (seen only in the tokens).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
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

export function parseCliArgs(argv: string[], spec: Record<string, OptionSpec>, usage: string): ParsedArgs {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, s] of Object.entries(spec)) config[name] = { type: s.type, ...(s.short && { short: s.short }) };
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });

  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const { name, rawName, value, inlineValue } = token;
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!s) throw new CliError('unknown-option', `Unknown option ${rawName}.`, `See: ${usage}`);
    if (s.type === 'boolean') {
      if (inlineValue)
        throw new CliError('invalid-option-value', `--${name} takes no value.`, `Write --${name} alone.`);
      options[name] = true;
      continue;
    }
    // `--name` last, or followed by another long option: parseArgs takes that option as the value; we do not.
    if (value === undefined || (!inlineValue && value.startsWith('--') && value.length > 2)) {
      throw new CliError('missing-option-value', `--${name} needs a value.`, `Write --${name} VALUE. See: ${usage}`);
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

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `--subscription`, required and a subscription GUID. */
export function requireSubscription(p: ParsedArgs, usage: string): string {
  const subscription = requireStr(p, 'subscription', usage);
  if (!GUID.test(subscription)) {
    throw new CliError(
      'invalid-option-value',
      `--subscription ${subscription} is not a subscription id.`,
      'Give the subscription GUID.',
    );
  }
  return subscription;
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
