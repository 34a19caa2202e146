// What the email connectors (Brevo, SendGrid) share: the sender from the connection's settings, and the
// contacts a push carries in its params. Addresses are personal data: they go to the provider and
// nowhere else (never into an error message or a log line).
import { E164, EMAIL } from "../../domain/contacts";
import { invalidParams } from "../../sync/params";
import type { ConnectorContext } from "../../sync/contract";

export const MAX_CONTACTS = 100;
export const DEFAULT_SUBJECT = "A message about your parking";

export interface Contact {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
}

/** settings.fromEmail (required by both providers) and settings.fromName. */
export function senderOf(ctx: ConnectorContext): { email: string; name?: string } {
  const email = ctx.settings.fromEmail;
  const name = ctx.settings.fromName;
  if (typeof email !== "string" || !EMAIL.test(email))
    throw invalidParams(`no sender: set the ${ctx.provider} connection's settings.fromEmail`);
  return typeof name === "string" && name ? { email, name } : { email };
}

export function requireEmail(to: string): string {
  if (!EMAIL.test(to)) throw invalidParams("to is not an email address");
  return to;
}

const optional = (c: Record<string, unknown>, k: string, max: number) => {
  const v = c[k];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length > max) throw invalidParams(`contacts[].${k} must be text of at most ${max} characters`);
  return v;
};

/** params.contacts: 1 to 100 of {email, firstName?, lastName?, phone? (E.164)}. */
export function contactsParam(params: Record<string, unknown>): Contact[] {
  const list = params.contacts;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_CONTACTS)
    throw invalidParams(`contacts must be a list of 1 to ${MAX_CONTACTS} contacts`);
  return list.map((c: unknown) => {
    if (!c || typeof c !== "object" || typeof (c as Contact).email !== "string" || !EMAIL.test((c as Contact).email))
      throw invalidParams("every contact needs a valid email");
    const o = c as Record<string, unknown>;
    const phone = optional(o, "phone", 16);
    if (phone !== undefined && !E164.test(phone)) throw invalidParams("contacts[].phone must be an E.164 number");
    return { email: o.email as string, firstName: optional(o, "firstName", 100), lastName: optional(o, "lastName", 100), phone };
  });
}
