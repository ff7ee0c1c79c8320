import { afterEach, describe, expect, it, vi } from 'vitest';
import { audit, log, redact } from './log';

describe('log', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture(fn: () => void): Record<string, unknown> {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.stubEnv('LOG_LEVEL', 'info');
    fn();
    vi.unstubAllEnvs();
    const text = String(write.mock.calls.at(-1)?.[0] ?? '');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(1);
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('writes one JSON object a line with time, level and message', () => {
    const line = capture(() => log('warn', 'hello', { requestId: 'r1', n: 2 }));
    expect(line).toMatchObject({ level: 'warn', msg: 'hello', requestId: 'r1', n: 2 });
    expect(Date.parse(String(line.time))).not.toBeNaN();
  });

  it('drops secret-named keys at any depth', () => {
    const line = capture(() =>
      log('info', 'x', {
        password: 'p',
        pfxBytes: 'b',
        nested: { clientSecret: 's', accessToken: 't', ok: 'fine' },
        authorization: 'Bearer x',
      }),
    );
    expect(line).toMatchObject({
      password: '[redacted]',
      pfxBytes: '[redacted]',
      nested: { clientSecret: '[redacted]', accessToken: '[redacted]', ok: 'fine' },
      authorization: '[redacted]',
    });
  });

  it('drops token-, PEM-, base64- and byte-looking values under innocent keys', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmNkZWYxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const b64 = Buffer.alloc(300, 7).toString('base64');
    expect(
      redact({
        a: jwt,
        b: `-----BEGIN PRIVATE KEY-----\nMII…`,
        c: b64,
        d: new Uint8Array(4),
        e: 'Bearer abcdefghijklmnopqrstuvwxyz',
        f: 'kv-contoso-prod',
        g: 'EBB091AB10E1206E3D52035D7FB4FAFC55752F51',
      }),
    ).toEqual({
      a: '[redacted]',
      b: '[redacted]',
      c: '[redacted]',
      d: '[redacted]',
      e: '[redacted]',
      f: 'kv-contoso-prod',
      g: 'EBB091AB10E1206E3D52035D7FB4FAFC55752F51',
    });
  });

  it('an audit line keeps ids, names and thumbprints', () => {
    const line = capture(() =>
      audit('certificate.imported', {
        requestId: 'r',
        oid: 'o',
        upn: 'u@x',
        vault: '/subscriptions/s/…',
        certificate: 'web',
        version: 'v',
        thumbprint: 'AB'.repeat(20),
      }),
    );
    expect(line).toMatchObject({
      msg: 'audit',
      event: 'certificate.imported',
      certificate: 'web',
      thumbprint: 'AB'.repeat(20),
    });
  });

  it('LOG_LEVEL=silent writes nothing', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.stubEnv('LOG_LEVEL', 'silent');
    log('error', 'x');
    vi.unstubAllEnvs();
    expect(write).not.toHaveBeenCalled();
  });
});
