// Mailchimp Marketing API 3.0 (mailchimp.com/developer), entity "contacts": audience members pushed
// and pulled. OAuth 2 authorisation code whose tokens never expire and come without a refresh token;
// the account's data centre (the `us21` in https://us21.api.mailchimp.com) comes from the metadata
// endpoint after authorising. An API key (`…-us21`) works instead of OAuth. A member's URL is the MD5
// of the lower-cased address and PUT creates or updates it, so a retried push writes nothing twice.
import { ProviderCallError } from "../../lib/vendor-call-error";
import { basicAuth, toHex } from "../../lib/bytes";
import { intParam, invalidParams, requiredString } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const MAX_CONTACTS = 500;
const PAGE = 1000;
const MAX_PAGES = 20;
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}$/;
const STATUSES = new Set(["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]);

/** Mailchimp's subscriber hash. MD5 is Mailchimp's choice of id, not a security measure. */
export const subscriberHash = async (email: string) =>
  toHex(await crypto.subtle.digest("MD5", new TextEncoder().encode(email.toLowerCase())));

function dataCentre(credentials: Readonly<Record<string, string>>): string {
  const dc = credentials.dc ?? credentials.apiKey?.split("-").pop();
  if (!dc || !/^[a-z]{2,4}\d{1,3}$/.test(dc))
    throw new ProviderCallError(
      "auth",
      "mailchimp: no data centre: authorise again or use an API key ending in -us21 (or similar)",
    );
  return dc;
}

interface Contact {
  email: string;
  firstName?: string;
  lastName?: string;
  status: string;
}

function contacts(params: Record<string, unknown>): Contact[] {
  const list = params.contacts;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_CONTACTS)
    throw invalidParams(`contacts must list 1 to ${MAX_CONTACTS} contacts`);
  return list.map((c, i) => {
    const r = (c && typeof c === "object" ? c : {}) as Record<string, unknown>;
    const status = r.status ?? "subscribed";
    if (typeof r.email !== "string" || !EMAIL.test(r.email)) throw invalidParams(`contacts[${i}].email is not an address`);
    if (typeof status !== "string" || !STATUSES.has(status))
      throw invalidParams(`contacts[${i}].status is not a Mailchimp status`);
    const name = (v: unknown) => (typeof v === "string" ? v.slice(0, 100) : undefined);
    return { email: r.email, firstName: name(r.firstName), lastName: name(r.lastName), status };
  });
}

async function pushContacts(ctx: ConnectorContext, job: SyncJobInput) {
  const list = requiredString(job.params, "listId", /^[a-z0-9]{1,20}$/);
  const statuses: Record<string, number> = {};
  const all = contacts(job.params);
  for (const c of all) {
    const body = {
      email_address: c.email,
      status_if_new: c.status,
      merge_fields: { ...(c.firstName ? { FNAME: c.firstName } : {}), ...(c.lastName ? { LNAME: c.lastName } : {}) },
    };
    const res = await ctx.call<{ status: string }>({
      method: "PUT",
      path: `/3.0/lists/${list}/members/${await subscriberHash(c.email)}`,
      body,
    });
    statuses[res.body.status] = (statuses[res.body.status] ?? 0) + 1;
  }
  return { records: all.length, detail: { listId: list, statuses } };
}

async function pullContacts(ctx: ConnectorContext, job: SyncJobInput) {
  const list = requiredString(job.params, "listId", /^[a-z0-9]{1,20}$/);
  const count = intParam(job.params, "pageSize", 1, PAGE) ?? PAGE;
  let offset = 0;
  let pages = 0;
  let total = 0;
  let records = 0;
  const statuses: Record<string, number> = {};
  do {
    const query = { count, offset, since_last_changed: job.since === null ? undefined : new Date(job.since).toISOString() };
    const res = await ctx.call<{ members: { status: string }[]; total_items: number }>({
      method: "GET",
      path: `/3.0/lists/${list}/members`,
      query,
    });
    pages++;
    total = res.body.total_items;
    for (const m of res.body.members) statuses[m.status] = (statuses[m.status] ?? 0) + 1;
    records += res.body.members.length;
    offset += count;
    if (res.body.members.length === 0) break;
  } while (offset < total && pages < MAX_PAGES);
  return { records, detail: { listId: list, pages, total, statuses } };
}

export const connector: Connector = {
  provider: "mailchimp",
  defaultBaseUrl: "https://us1.api.mailchimp.com",
  baseUrlFor: (credentials) => `https://${dataCentre(credentials)}.api.mailchimp.com`,
  authorize(headers, credentials) {
    if (credentials.accessToken) headers.set("authorization", `Bearer ${credentials.accessToken}`);
    else headers.set("authorization", basicAuth("curbgate", credentials.apiKey ?? ""));
  },
  idempotencyHeader: undefined, // none; the member PUT is idempotent by its URL
  rateLimitPerMinute: 600, // Mailchimp limits concurrency (10 connections), not a rate; this keeps us well inside it
  async test(ctx) {
    const res = await ctx.call<{ health_status: string }>({ method: "GET", path: "/3.0/ping" });
    return { healthStatus: res.body.health_status };
  },
  entities: {
    contacts: {
      directions: ["push", "pull"],
      description:
        "Push: params.contacts [{email, firstName?, lastName?, status?}] into audience params.listId (upsert). Pull: members of params.listId changed since `since`.",
      run: (ctx, job) => (job.direction === "push" ? pushContacts(ctx, job) : pullContacts(ctx, job)),
    },
  },
  oauth: {
    grant: "authorization_code",
    authorizeUrl: "https://login.mailchimp.com/oauth2/authorize",
    tokenUrl: "https://login.mailchimp.com/oauth2/token",
    scopes: [], // Mailchimp grants the whole account
    pkce: false,
    clientAuth: "body",
    apiKeyField: "apiKey",
    async afterAuthorize(accessToken, fetch, oauthUrl) {
      const meta = await fetch<{ dc?: string }>(oauthUrl("https://login.mailchimp.com/oauth2/metadata"), {
        method: "GET",
        headers: { authorization: `OAuth ${accessToken}` },
      });
      if (!meta.dc) throw new ProviderCallError("server", "mailchimp: the metadata endpoint named no data centre");
      return { dc: meta.dc };
    },
  },
};
