import { describe, expect, it } from 'vitest';
import { acceptedExtensions, describeAccepted, fileChoiceProblem, formatFileSize } from './file-choice';

describe('file choice', () => {
  it('reads the extensions of an accept attribute and leaves MIME types to the picker', () => {
    expect(acceptedExtensions('.pfx,.P12, application/x-pkcs12')).toEqual(['.pfx', '.p12']);
    expect(acceptedExtensions('application/json')).toEqual([]);
  });

  it('names what is accepted in words', () => {
    expect(describeAccepted('.pfx,.p12,application/x-pkcs12')).toBe('a .pfx or .p12 file');
    expect(describeAccepted('.cscfg,.xml,text/xml')).toBe('a .cscfg or .xml file');
    expect(describeAccepted('.pem,.key,.der,.p8')).toBe('a .pem, .key, .der or .p8 file');
    expect(describeAccepted('.xml')).toBe('a .xml file');
    expect(describeAccepted('')).toBe('a file');
  });

  it('says why a file cannot be used: wrong type (by extension, any case), too large, empty', () => {
    expect(fileChoiceProblem({ name: 'web.PFX', size: 10 }, '.pfx,.p12')).toBeNull();
    expect(fileChoiceProblem({ name: 'notes.txt', size: 10 }, '.pfx,.p12')).toBe(
      'notes.txt is not a .pfx or .p12 file. Choose a .pfx or .p12 file.',
    );
    expect(fileChoiceProblem({ name: 'web.pfx.txt', size: 10 }, '.pfx')).not.toBeNull();
    expect(fileChoiceProblem({ name: 'big.cscfg', size: 6 * 1024 * 1024 }, '.cscfg', 5 * 1024 * 1024)).toBe(
      'big.cscfg is 6 MB, more than the 5 MB this takes.',
    );
    expect(fileChoiceProblem({ name: 'empty.pfx', size: 0 }, '.pfx')).toBe('empty.pfx is empty.');
    expect(fileChoiceProblem({ name: 'anything', size: 1 }, 'application/json')).toBeNull();
  });

  it('formats sizes as file managers do', () => {
    expect(formatFileSize(0)).toBe('0 bytes');
    expect(formatFileSize(1)).toBe('1 byte');
    expect(formatFileSize(1023)).toBe('1023 bytes');
    expect(formatFileSize(2563)).toBe('2.5 KB');
    expect(formatFileSize(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatFileSize(150 * 1024)).toBe('150 KB');
  });
});
