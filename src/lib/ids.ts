// Ids and random tokens: `<prefix>_<20 characters>` from an alphabet without look-alikes.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijkmnopqrstuvwxyz"; // no I, L, O, U, l

/** A random token of `length` characters from an unambiguous alphabet (about 5.8 bits each). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export const newId = (prefix: string) => `${prefix}_${randomToken(20)}`;

/** An id shaped like newId's, but the same every time for the same `name` (SHA-256 of it): for writes that must happen once. */
export async function stableId(prefix: string, name: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(name)));
  let out = "";
  for (const b of digest.subarray(0, 20)) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}
