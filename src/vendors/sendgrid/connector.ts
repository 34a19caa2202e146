// Twilio SendGrid v3 (www.twilio.com/docs/sendgrid/api-reference), email and marketing contacts.
// `Authorization: Bearer <API key>`; JSON bodies. Email is the `messaging` capability (channel
// "email"): POST /v3/mail/send answers 202 with no body and the message's id in X-Message-Id.
// SendGrid has no idempotency key of any kind, so a resend is a second email: the sync engine never
// resends a message whose first attempt may have been accepted (src/sync/jobs.ts), and the
// job key rides along in custom_args so the provider's event webhooks can be traced to the job.
// Contacts: push upserts params.contacts with PUT /v3/marketing/contacts (202 {job_id}), an upsert by
// email, so repeating it is harmless.
import { DEFAULT_SUBJECT, contactsParam, requireEmail, senderOf } from "../shared/email";
import { invalidParams } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

function listIdsParam(params: Record<string, unknown>): string[] | undefined {
  const ids = params.listIds;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || ids.length > 50 || !ids.every((i) => typeof i === "string" && /^[0-9a-f-]{36}$/.test(i)))
    throw invalidParams("listIds must be SendGrid list ids (UUIDs)");
  return ids as string[];
}

async function pushContacts(ctx: ConnectorContext, job: SyncJobInput) {
  const contacts = contactsParam(job.params).map((c) => ({
    email: c.email,
    ...(c.firstName ? { first_name: c.firstName } : {}),
    ...(c.lastName ? { last_name: c.lastName } : {}),
    ...(c.phone ? { phone_number: c.phone } : {}),
  }));
  const listIds = listIdsParam(job.params);
  const res = await ctx.call<{ job_id: string }>({
    method: "PUT",
    path: "/v3/marketing/contacts",
    body: { ...(listIds ? { list_ids: listIds } : {}), contacts },
    idempotencyKey: ctx.key("contacts"),
  });
  // SendGrid applies the upsert asynchronously; its job id is how to follow it in their console.
  return { records: contacts.length, detail: { importJobId: res.body.job_id } };
}

export const connector: Connector = {
  provider: "sendgrid",
  defaultBaseUrl: "https://api.sendgrid.com",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.apiKey ?? ""}`),
  idempotencyHeader: undefined, // none exists; see the note at the top
  rateLimitPerMinute: 600, // a conservative default; settings.breaker.rateLimitPerMinute overrides
  async test(ctx) {
    const res = await ctx.call<{ type: string; reputation: number }>({ method: "GET", path: "/v3/user/account" });
    return { accountType: res.body.type, reputation: res.body.reputation };
  },
  messaging: {
    channel: "email",
    async send(ctx, msg) {
      const key = ctx.key("email");
      const body = {
        personalizations: [{ to: [{ email: requireEmail(msg.to) }] }],
        from: senderOf(ctx),
        subject: msg.subject ?? DEFAULT_SUBJECT,
        content: [{ type: "text/plain", value: msg.text }],
        custom_args: { curbgate_key: key },
      };
      const res = await ctx.call({ method: "POST", path: "/v3/mail/send", body, idempotencyKey: key });
      const messageId = res.headers.get("x-message-id");
      if (!messageId) throw new Error("sendgrid accepted the email without an X-Message-Id");
      return { messageId, status: "accepted" };
    },
  },
  entities: {
    contacts: {
      directions: ["push"],
      description:
        "Push: upsert params.contacts ([{email, firstName?, lastName?, phone?}], at most 100) into SendGrid Marketing, optionally into params.listIds.",
      run: pushContacts,
    },
  },
};
