/** Limits of the inspection (and Key Vault's own). */

/** Largest file inspected. Real certificate PFX files are 2–20 KiB; a long chain stays far below this. */
export const MAX_PFX_BYTES = 256 * 1024;
/** A PFX upload's request body: the file plus the multipart framing and the password around it. */
export const MAX_PFX_UPLOAD_BYTES = MAX_PFX_BYTES + 16 * 1024;
/** Key-derivation iteration counts above this are refused (a hostile file could otherwise keep a tab busy for hours). */
export const MAX_ITERATIONS = 10_000_000;
/** …and so is a file whose derivations add up to more than this (many encrypted keys, password forms). */
export const MAX_TOTAL_ITERATIONS = 30_000_000;
/** Key Vault refuses passwords and subjects longer than this. */
export const KEY_VAULT_MAX_CHARS = 200;
