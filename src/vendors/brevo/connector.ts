// Brevo (developers.brevo.com), transactional email and contacts. `api-key` header; JSON bodies.
// Email is the `messaging` capability (channel "email"): POST /v3/smtp/email. Brevo takes no
// idempotency header, but reads an `idempotencyKey` (a UUID) from the message's `headers` object and
// drops a resend of it for a while (30 min by its docs; 15 in older ones): the key is derived from the
// job, so a retried job is one email. Contacts: push upserts params.contacts one by one with
// POST /v3/contacts and updateEnabled, which is idempotent by nature.
import { sha256Hex } from "../../lib/crypto";
import { DEFAULT_SUBJECT, contactsParam, requireEmail, senderOf } from "../shared/email";
import { invalidParams } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

/** A UUID (RFC 9562 version 8, name-based) from a job's step key, the same on every retry. */
export async function uuidOf(key: string): Promise<string> {
  const h = await sha256Hex(key);
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function listIdsParam(params: Record<string, unknown>): number[] | undefined {
  const ids = params.listIds;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || ids.length > 50 || !ids.every((i) => Number.isSafeInteger(i) && (i as number) > 0))
    throw invalidParams("listIds must be Brevo list ids (whole numbers)");
  return ids as number[];
}

async function pushContacts(ctx: ConnectorContext, job: SyncJobInput) {
  const contacts = contactsParam(job.params);
  const listIds = listIdsParam(job.params);
  let created = 0;
  for (const c of contacts) {
    const attributes: Record<string, string> = {};
    if (c.firstName) attributes.FIRSTNAME = c.firstName;
    if (c.lastName) attributes.LASTNAME = c.lastName;
    if (c.phone) attributes.SMS = c.phone;
    // 201 {id} for a new contact, 204 for one that was updated.
    const res = await ctx.call({
      method: "POST",
      path: "/v3/contacts",
      body: { email: c.email, attributes, ...(listIds ? { listIds } : {}), updateEnabled: true },
      idempotencyKey: ctx.key("contacts"),
    });
    if (res.status === 201) created++;
  }
  return { records: contacts.length, detail: { created, updated: contacts.length - created } };
}

export const connector: Connector = {
  provider: "brevo",
  defaultBaseUrl: "https://api.brevo.com",
  authorize: (headers, credentials) => headers.set("api-key", credentials.apiKey ?? ""),
  idempotencyHeader: undefined, // the key travels in the body (messaging.send); see the note at the top
  rateLimitPerMinute: 600, // a conservative default under Brevo's per-plan limits; settings.breaker.rateLimitPerMinute overrides
  async test(ctx) {
    const res = await ctx.call<{ companyName?: string; plan?: { type: string }[] }>({ method: "GET", path: "/v3/account" });
    return { companyName: res.body.companyName ?? null, plans: (res.body.plan ?? []).map((p) => p.type) };
  },
  messaging: {
    channel: "email",
    dedupeWindowMs: 10 * 60_000, // inside the shortest TTL Brevo has documented for idempotencyKey, with a margin
    async send(ctx, msg) {
      const key = ctx.key("email");
      const body = {
        sender: senderOf(ctx),
        to: [{ email: requireEmail(msg.to) }],
        subject: msg.subject ?? DEFAULT_SUBJECT,
        textContent: msg.text,
        headers: { idempotencyKey: await uuidOf(key) },
      };
      const res = await ctx.call<{ messageId?: string }>({ method: "POST", path: "/v3/smtp/email", body, idempotencyKey: key });
      if (!res.body.messageId) throw new Error("brevo accepted the email without a messageId");
      return { messageId: res.body.messageId, status: "queued" };
    },
  },
  entities: {
    contacts: {
      directions: ["push"],
      description:
        "Push: upsert params.contacts ([{email, firstName?, lastName?, phone?}], at most 100) into Brevo, optionally into params.listIds.",
      run: pushContacts,
    },
  },
};
