// A driver's contact for notifications (an E.164 phone number for SMS, an address for email), and how
// much of it a response may show. Contacts are personal data: stored where a send needs them, never
// logged, and masked in every response.
export type Channel = "sms" | "email";

export const E164 = /^\+[1-9]\d{6,14}$/;
// Deliberately loose (one @, a dot in the domain, no spaces or angle brackets, so a Message-ID is not
// mistaken for one): the provider is the judge of deliverability.
export const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}\.[^\s@<>]{2,}$/;

export const isContactFor = (channel: Channel, to: string) => (channel === "sms" ? E164 : EMAIL).test(to);

/** "d***@example.com", "+12*******23": enough for the driver to recognise, too little to use. */
export function maskContact(to: string): string {
  const at = to.lastIndexOf("@");
  if (at > 0) return `${to[0]}***${to.slice(at)}`;
  if (to.length <= 5) return "***";
  return `${to.slice(0, 3)}${"*".repeat(to.length - 5)}${to.slice(-2)}`;
}

/** A copy of `value` with every email address and phone number in it masked (job params, results). */
export function maskPersonalData(value: unknown): unknown {
  if (typeof value === "string") return EMAIL.test(value) || E164.test(value) ? maskContact(value) : value;
  if (Array.isArray(value)) return value.map(maskPersonalData);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalData(v)]));
  return value;
}
