/** Every finding code is documented in docs/error-codes.md, and the brief's required codes exist. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, WARNING_CODES, INFO_CODES } from './index';

const doc = readFileSync(join(__dirname, '../../docs/error-codes.md'), 'utf8');
const start = doc.indexOf('## lib/certs');
const next = doc.indexOf('\n## ', start + 5);
const section = doc.slice(start, next < 0 ? undefined : next);

describe('finding codes', () => {
  it('are all documented in the lib/certs section', () => {
    for (const c of [...ERROR_CODES, ...WARNING_CODES, ...INFO_CODES]) expect(section).toContain(`\`${c}\``);
  });
  it('include the required error codes', () => {
    for (const c of [
      'wrong-password',
      'no-private-key',
      'key-mismatch',
      'multiple-leaf-certificates',
      'expired',
      'not-pkcs12',
      'corrupt',
      'empty-file',
      'too-large',
      'unsupported-algorithm',
    ])
      expect(ERROR_CODES as readonly string[]).toContain(c);
  });
  it('are unique across severities', () => {
    const all = [...ERROR_CODES, ...WARNING_CODES, ...INFO_CODES];
    expect(new Set(all).size).toBe(all.length);
  });
});
