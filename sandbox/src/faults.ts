import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './fsutil.js';
import { log } from './log.js';

/**
 * Fault injection, configurable per route and per count.
 *
 * A rule matches requests by area (`identity` | `arm` | `vault` | a vault name | `*`), method and a path regular
 * expression, and then does one of: answer `status` (429 / 503 / any) with an area-shaped error body and an optional
 * Retry-After, add `delayMs` of latency before normal handling, `drop` the connection without an answer, or
 * `dropAfter`: handle the request as usual (a write is stored) and then drop the connection before the answer, as a
 * server that dies between committing and replying (the client cannot tell whether its request took effect).
 * `count` limits how many requests it affects (omit for "until removed"); `skip` lets the first N matches through.
 *
 * Sources: `{state}/faults.json` (`{ "rules": [...] }`, re-read when it changes) and the control endpoint
 * `https://localhost:{port}/_sandbox/faults` (GET lists, POST adds one rule or `{rules}`, DELETE clears). The
 * control endpoint persists to the same file, so the file always shows the live rules and their remaining counts.
 * A rule's `hits` alone (a rule without `count` or `skip`, such as the bench's latency on every request) is written
 * at most every half second rather than per request: an fsync per request would block the event loop and turn the
 * added latency into a queue. The control endpoint always answers with the live counters.
 */
export interface FaultRule {
  id?: string;
  area?: string;
  method?: string;
  path?: string;
  status?: number;
  retryAfter?: number | null;
  retryAfterMs?: number;
  delayMs?: number;
  drop?: boolean;
  dropAfter?: boolean;
  count?: number;
  skip?: number;
  hits?: number;
  /** area `cloudServices` only: the error an RP failure reports (defaults in src/compute/errors.ts) */
  code?: string;
  message?: string;
  /** area `cloudServices` only: accept the update, then end its operation Failed with code/message */
  fail?: boolean;
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'dropAfter'; delayMs: number }
  | { kind: 'status'; status: number; headers: Record<string, string>; delayMs: number; rule: FaultRule }
  | { kind: 'fail'; delayMs: number; rule: FaultRule };

export class Faults {
  private rules: FaultRule[] = [];
  private mtime = 0;
  private readonly file: string;
  private seq = 0;
  private pendingHits: NodeJS.Timeout | undefined;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'faults.json');
    this.reloadIfChanged();
  }

  private reloadIfChanged(): void {
    if (!existsSync(this.file)) {
      if (this.mtime !== 0) {
        this.rules = [];
        this.mtime = 0;
      }
      return;
    }
    const m = statSync(this.file).mtimeMs;
    if (m === this.mtime) return;
    this.mtime = m;
    this.cancelPendingHits(); // the file was changed from outside: its rules win
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { rules?: FaultRule[] };
      this.rules = (parsed.rules ?? []).map((r) => this.normalise(r));
      log(`faults: ${this.rules.length} rule(s) loaded from faults.json`);
    } catch (e) {
      log('faults.json ignored:', (e as Error).message);
    }
  }

  private normalise(r: FaultRule): FaultRule {
    if (r.path !== undefined) new RegExp(r.path); // validate
    if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 100 || r.status > 599))
      throw new Error('status must be an HTTP status code');
    return { ...r, id: r.id ?? `f${++this.seq}`, hits: r.hits ?? 0 };
  }

  private cancelPendingHits(): void {
    if (this.pendingHits) clearTimeout(this.pendingHits);
    this.pendingHits = undefined;
  }

  /** Writes the hit counters soon (coalesced), for rules whose only change is a hit. */
  private persistHitsSoon(): void {
    if (this.pendingHits) return;
    this.pendingHits = setTimeout(() => {
      this.pendingHits = undefined;
      this.persist();
    }, 500);
    this.pendingHits.unref();
  }

  /** Writes what is pending now (on shutdown). */
  flush(): void {
    if (this.pendingHits) this.persist();
  }

  private persist(): void {
    this.cancelPendingHits();
    writeFileAtomic(this.file, `${JSON.stringify({ rules: this.rules }, null, 2)}\n`, 0o644);
    this.mtime = statSync(this.file).mtimeMs;
  }

  list(): FaultRule[] {
    this.reloadIfChanged();
    return this.rules;
  }

  add(input: FaultRule | { rules: FaultRule[] }): FaultRule[] {
    this.reloadIfChanged();
    const items = 'rules' in input && Array.isArray(input.rules) ? input.rules : [input as FaultRule];
    const added = items.map((r) => this.normalise(r));
    this.rules.push(...added);
    this.persist();
    return added;
  }

  clear(id?: string): void {
    this.rules = id ? this.rules.filter((r) => r.id !== id) : [];
    this.persist();
  }

  /**
   * Finds the first live rule for this request and consumes one use of it. `exactArea`: only rules naming this area
   * (the cloud services RP asks for its own `cloudServices` rules, which '*' and other areas never match).
   */
  take(area: string, vaultName: string | undefined, method: string, path: string, exactArea = false): FaultAction {
    this.reloadIfChanged();
    for (const r of this.rules) {
      if (exactArea ? r.area !== area : r.area === 'cloudServices') continue;
      if (r.area && r.area !== '*' && r.area !== area && !(vaultName && r.area.toLowerCase() === vaultName)) continue;
      if (r.method && r.method.toUpperCase() !== method) continue;
      if (r.path && !new RegExp(r.path).test(path)) continue;
      if (r.count !== undefined && r.count <= 0) continue;
      if (r.skip && r.skip > 0) {
        r.skip--;
        this.persist();
        continue;
      }
      r.hits = (r.hits ?? 0) + 1;
      if (r.count !== undefined) {
        r.count--;
        this.persist();
      } else this.persistHitsSoon();
      const delayMs = r.delayMs ?? 0;
      if (r.drop) return { kind: 'drop', delayMs };
      if (r.dropAfter) return { kind: 'dropAfter', delayMs };
      if (r.fail) return { kind: 'fail', delayMs, rule: r };
      if (r.status) {
        const headers: Record<string, string> = {};
        const ra = r.retryAfter === undefined && (r.status === 429 || r.status === 503) ? 1 : r.retryAfter;
        if (ra !== null && ra !== undefined) headers['retry-after'] = String(ra);
        if (r.retryAfterMs !== undefined) headers['retry-after-ms'] = String(r.retryAfterMs);
        return { kind: 'status', status: r.status, headers, delayMs, rule: r };
      }
      if (delayMs > 0) return { kind: 'delay', ms: delayMs };
    }
    return { kind: 'none' };
  }
}

export function faultBody(area: string, status: number): unknown {
  if (area === 'identity') {
    return {
      error: status === 429 ? 'temporarily_unavailable' : 'temporarily_unavailable',
      error_description: `AADSTS50196: The server terminated an operation because it encountered a client request loop or the service is busy. (sandbox fault injection, HTTP ${status})`,
      error_codes: [50196],
    };
  }
  if (area === 'arm') {
    if (status === 429)
      return {
        error: {
          code: 'TooManyRequests',
          message:
            'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits',
        },
      };
    if (status === 503)
      return {
        error: {
          code: 'ServiceUnavailable',
          message: 'The server is currently unable to handle the request. Please retry later.',
        },
      };
    return { error: { code: 'InjectedFault', message: `Fault injected by the sandbox (HTTP ${status}).` } };
  }
  if (status === 429)
    return {
      error: {
        code: 'Throttled',
        message:
          'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
      },
    };
  if (status === 503)
    return { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable. Please retry.' } };
  return { error: { code: 'InjectedFault', message: `Fault injected by the sandbox (HTTP ${status}).` } };
}
