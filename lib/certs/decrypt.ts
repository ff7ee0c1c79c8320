/**
 * Opening a PFX: the MAC and the decryption of every encrypted part and key, concurrently, with each password form a
 * producer may have used, within an iteration budget (MAX_ITERATIONS per derivation, MAX_TOTAL_ITERATIONS per file).
 * Reports what happened; the findings are made from that in pfx-findings.ts.
 */
import type { PfxInfo } from './types';
import { DerError, parse, T } from './der';
import { type ParsedKey, parsePrivateKey } from './x509';
import {
  type Bag,
  type EncAlg,
  type PasswordForm,
  type PfxStructure,
  DecryptError,
  UnsupportedError,
  decryptWith,
  parseSafeContents,
  passwordForms,
  verifyMac,
} from './pkcs12';
import { MAX_ITERATIONS, MAX_TOTAL_ITERATIONS } from './limits';

export type MacStatus = 'none' | 'ok' | 'failed' | 'unsupported';

export interface OpenedPfx {
  info: PfxInfo;
  /** Every bag in file order (those of parts that could not be decrypted are missing). */
  bags: Bag[];
  /** Keys read (plain or decrypted), in file order. */
  keys: Array<{ parsed: ParsedKey; localKeyId: string | null; friendlyName: string | null }>;
  mac: MacStatus;
  /** The password form the MAC accepted, and those that decrypted PKCS#12-PBE parts. */
  macForm: PasswordForm | null;
  usedForms: PasswordForm[];
  /** An encrypted part or key did not open with any form. */
  wrongPassword: boolean;
  /** Name of an encryption this reader cannot decrypt. */
  unsupported: string | null;
  corruptDetail: string | null;
  /** The largest iteration count (or budget overrun) refused; 0 when none. */
  excessive: number;
}

export async function openPfx(pfx: PfxStructure, password: string | null): Promise<OpenedPfx> {
  const forms = passwordForms(password);
  const pfxInfo: PfxInfo = {
    macAlgorithm: pfx.mac ? pfx.mac.name : null,
    macIterations: pfx.mac ? pfx.mac.iterations : null,
    encryption: [],
    passwordless: password === null,
  };
  for (const p of pfx.parts)
    if (p.type === 'encrypted' && p.alg)
      pfxInfo.encryption.push({ part: 'certificates', algorithm: p.alg.name, iterations: iterationsOf(p.alg) });

  // MAC and decryption run concurrently: PBES2 (PBKDF2 in native code) does not depend on which password form
  // the MAC accepts, so a 600 000-iteration file costs about one derivation, not three.
  let macForm: PasswordForm | null = null;
  let macStatus: 'none' | 'ok' | 'failed' | 'unsupported' = pfx.mac ? 'failed' : 'none';
  let excessive = 0;
  let budget = MAX_TOTAL_ITERATIONS;
  /** Reserve work for one derivation; false (and an `excessive-iterations` error) once the budget is gone. */
  const spend = (iterations: number): boolean => {
    budget -= Math.max(1, iterations);
    if (budget >= 0) return true;
    excessive = Math.max(excessive, MAX_TOTAL_ITERATIONS - budget);
    return false;
  };
  const macPromise = (async () => {
    if (!pfx.mac) return;
    if (!pfx.mac.hash) {
      macStatus = 'unsupported';
      return;
    }
    if (pfx.mac.iterations > MAX_ITERATIONS) {
      excessive = Math.max(excessive, pfx.mac.iterations);
      macStatus = 'unsupported';
      return;
    }
    for (const f of forms) {
      if (!spend(pfx.mac.iterations)) {
        macStatus = 'unsupported';
        return;
      }
      if (await verifyMac(pfx.mac, pfx.authSafe, f)) {
        macForm = f;
        macStatus = 'ok';
        return;
      }
    }
  })();

  let wrongPassword = false;
  let unsupported: string | null = null;
  let corruptDetail: string | null = null;
  const usedForms: PasswordForm[] = [];

  /** Decrypt with the forms in order (the MAC-verified one first once known). Returns null when none works. */
  const tryDecrypt = async (
    alg: EncAlg,
    data: Uint8Array,
    check: (plain: Uint8Array) => void,
  ): Promise<Uint8Array | null> => {
    if (alg.kind === 'unsupported') {
      unsupported ??= alg.name;
      return null;
    }
    if (alg.iterations > MAX_ITERATIONS) {
      excessive = Math.max(excessive, alg.iterations);
      return null;
    }
    let order = forms;
    if (alg.kind === 'pkcs12') {
      await macPromise;
      const mf: PasswordForm | null = macForm;
      if (mf) order = [mf, ...forms.filter((f) => f !== mf)];
    } else {
      // PBES2 uses the UTF-8 bytes, identical in every form: one attempt.
      order = forms.slice(0, 1);
    }
    for (const f of order) {
      if (!spend(alg.iterations)) return null;
      try {
        const plain = await decryptWith(alg, data, f);
        check(plain);
        if (alg.kind === 'pkcs12') usedForms.push(f);
        return plain;
      } catch (e) {
        if (e instanceof UnsupportedError) {
          unsupported ??= e.message;
          return null;
        }
        if (!(e instanceof DecryptError) && !(e instanceof DerError)) throw e;
      }
    }
    wrongPassword = true;
    return null;
  };

  // Results are kept in file order (parts finish decrypting in any order).
  const bagsByPart: Bag[][] = pfx.parts.map(() => []);
  const keySlots: Array<{ order: number; parsed: ParsedKey; localKeyId: string | null; friendlyName: string | null }> =
    [];
  const keyTasks: Promise<void>[] = [];
  const handleBags = (list: Bag[], part: number) => {
    bagsByPart[part] = list;
    list.forEach((b, index) => {
      const order = part * 100_000 + index;
      if (b.type === 'key') {
        keyTasks.push(
          parsePrivateKey(b.bytes).then(
            (parsed) => void keySlots.push({ order, parsed, localKeyId: b.localKeyId, friendlyName: b.friendlyName }),
            () => void (corruptDetail ??= 'a private key could not be read'),
          ),
        );
      } else if (b.type === 'shroudedKey' && b.alg) {
        pfxInfo.encryption.push({ part: 'key', algorithm: b.alg.name, iterations: iterationsOf(b.alg) });
        const alg = b.alg;
        keyTasks.push(
          (async () => {
            let parsed: ParsedKey | null = null;
            const plain = await tryDecrypt(alg, b.bytes, (p) => {
              const n = parse(p);
              if (n.tag !== T.SEQUENCE || n.end !== p.length) throw new DerError('not a PrivateKeyInfo', 'malformed');
            });
            if (!plain) return;
            try {
              parsed = await parsePrivateKey(plain);
            } catch {
              corruptDetail ??= 'the private key could not be read after decryption';
              return;
            }
            keySlots.push({ order, parsed, localKeyId: b.localKeyId, friendlyName: b.friendlyName });
          })(),
        );
      }
    });
  };

  const partTasks = pfx.parts.map(async (p, partIndex) => {
    if (p.type === 'data') {
      try {
        handleBags(parseSafeContents(p.bytes), partIndex);
      } catch {
        corruptDetail ??= 'a section of the PFX could not be read';
      }
    } else if (p.type === 'encrypted' && p.alg) {
      let list: Bag[] | null = null;
      const plain = await tryDecrypt(p.alg, p.bytes, (pl) => {
        list = parseSafeContents(pl);
      });
      if (plain && list) handleBags(list, partIndex);
    }
  });
  await Promise.all([macPromise, ...partTasks]);
  await Promise.all(keyTasks);
  const bags = bagsByPart.flat();
  const keys = keySlots.sort((a, b) => a.order - b.order);

  const chosen: PasswordForm | null = macForm ?? usedForms[0] ?? null;
  if (chosen) pfxInfo.passwordless = chosen.passwordless;
  else if (password === null && !pfx.mac && !pfxInfo.encryption.length) pfxInfo.passwordless = true;
  return {
    info: pfxInfo,
    bags,
    keys,
    mac: macStatus as MacStatus,
    macForm: macForm as PasswordForm | null,
    usedForms,
    wrongPassword,
    unsupported: unsupported as string | null,
    corruptDetail: corruptDetail as string | null,
    excessive,
  };
}

function iterationsOf(alg: EncAlg): number | null {
  return alg.iterations;
}
