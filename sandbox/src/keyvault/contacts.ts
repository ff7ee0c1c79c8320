import { badParameter, contactsNotFound } from '../errors.js';
import { sendJson } from '../http.js';
import type { CertificateContact } from '../model.js';
import { authorizeCertAdmin } from './auth.js';
import { type KvRequest } from './request.js';
import { jsonBody, kvHeaders } from './wire.js';

// The vault's certificate contacts (`/certificates/contacts`): one list per vault, set whole, read whole, deleted
// whole. Shapes: the REST spec's `Contacts` and its examples; a vault without contacts answers 404
// `ContactsNotFound` "Contacts not found" (recorded against Key Vault by azure-sdk-for-js's CRUD live test).

function contactsJson(r: KvRequest, contacts: CertificateContact[]): Record<string, unknown> {
  return { id: `${r.ctx.origin}/certificates/contacts`, contacts };
}

function stored(r: KvRequest): CertificateContact[] | undefined {
  return r.d.store.state.certificateContacts?.[r.vault.name.toLowerCase()];
}

/** The body's `contacts`, each reduced to the fields Key Vault keeps (email, name, phone). Texts UNVERIFIED. */
function contactsOf(body: Record<string, unknown>): CertificateContact[] {
  const list = body.contacts;
  if (!Array.isArray(list)) throw badParameter('Property contacts has invalid value.');
  return list.map((c: unknown) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c))
      throw badParameter('Property contacts has invalid value.');
    const out: CertificateContact = {};
    for (const k of ['email', 'name', 'phone'] as const) {
      const v = (c as Record<string, unknown>)[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw badParameter(`Property contacts.${k} has invalid value.`);
      out[k] = v;
    }
    return out;
  });
}

export async function getContacts(r: KvRequest): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'getContacts');
  const contacts = stored(r);
  if (!contacts) throw contactsNotFound();
  sendJson(r.ctx, 200, contactsJson(r, contacts), kvHeaders(r.vault));
}

export async function setContacts(r: KvRequest): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'setContacts');
  const contacts = contactsOf(await jsonBody(r.ctx));
  (r.d.store.state.certificateContacts ??= {})[r.vault.name.toLowerCase()] = contacts;
  r.d.store.save();
  sendJson(r.ctx, 200, contactsJson(r, contacts), kvHeaders(r.vault));
}

/** Answers the contacts it removed (DeleteCertificateContacts-example.json); none set is the same 404 as a read. */
export async function deleteContacts(r: KvRequest): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'deleteContacts');
  const contacts = stored(r);
  if (!contacts) throw contactsNotFound();
  delete r.d.store.state.certificateContacts![r.vault.name.toLowerCase()];
  r.d.store.save();
  sendJson(r.ctx, 200, contactsJson(r, contacts), kvHeaders(r.vault));
}
