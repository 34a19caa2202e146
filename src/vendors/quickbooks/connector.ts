// QuickBooks Online Accounting API (developer.intuit.com), entities "customers" and "invoices".
// OAuth 2 authorisation code (no PKCE in Intuit's documentation; client secret by HTTP Basic), access
// tokens for an hour, refresh tokens that Intuit may replace on any refresh (the newest is kept).
// Every URL names the company (`realmId`, from the OAuth callback). Writes carry Intuit's `requestid`
// query parameter: a repeated request id returns the first answer instead of writing twice. Money is
// integer cents in Curbgate and decimal dollars on Intuit's wire.
import { ProviderCallError } from "../../lib/vendor-call-error";
import { intParam, invalidParams, requiredString, stringParam } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const MINOR_VERSION = "75";
const PAGE = 1000; // Intuit's largest MAXRESULTS
const MAX_PAGES = 20;

const company = (ctx: ConnectorContext) => {
  const realm = ctx.credentials.realmId;
  if (!realm) throw new ProviderCallError("auth", "quickbooks: no company (realmId): authorise the connection again");
  return `/v3/company/${encodeURIComponent(realm)}`;
};
const dollars = (cents: number) => Math.round(cents) / 100;
const toCents = (amount: unknown) => Math.round(Number(amount ?? 0) * 100);

/** Every entity of `table` changed since the job's `since`, through Intuit's query language, page by page. */
async function pull(ctx: ConnectorContext, job: SyncJobInput, table: "Customer" | "Invoice") {
  const where = job.since === null ? "" : ` WHERE Metadata.LastUpdatedTime >= '${new Date(job.since).toISOString()}'`;
  const rows: Record<string, unknown>[] = [];
  let pages = 0;
  for (let start = 1; pages < MAX_PAGES; start += PAGE) {
    const query = `SELECT * FROM ${table}${where} STARTPOSITION ${start} MAXRESULTS ${PAGE}`;
    const res = await ctx.call<{ QueryResponse: Record<string, unknown> }>({
      method: "GET",
      path: `${company(ctx)}/query`,
      query: { query, minorversion: MINOR_VERSION },
    });
    pages++;
    const page = (res.body.QueryResponse?.[table] ?? []) as Record<string, unknown>[];
    rows.push(...page);
    if (page.length < PAGE) break;
  }
  return { rows, pages };
}

async function customers(ctx: ConnectorContext, job: SyncJobInput) {
  if (job.direction === "pull") {
    const { rows, pages } = await pull(ctx, job, "Customer");
    return { records: rows.length, detail: { pages, active: rows.filter((r) => r.Active !== false).length } };
  }
  const displayName = requiredString(job.params, "displayName", /^.{1,100}$/s);
  const email = stringParam(job.params, "email", /^[^@\s]+@[^@\s]+$/);
  const body: Record<string, unknown> = { DisplayName: displayName };
  if (email) body.PrimaryEmailAddr = { Address: email };
  const res = await ctx.call<{ Customer: { Id: string; SyncToken: string } }>({
    method: "POST",
    path: `${company(ctx)}/customer`,
    query: { minorversion: MINOR_VERSION },
    body,
    idempotencyKey: ctx.key("customer"),
  });
  return { records: 1, detail: { customerId: res.body.Customer.Id, syncToken: res.body.Customer.SyncToken } };
}

interface LineParam {
  amountCents: number;
  description?: string;
  itemId?: string;
}

function lines(params: Record<string, unknown>): LineParam[] {
  const list = params.lines;
  if (!Array.isArray(list) || list.length === 0 || list.length > 250) throw invalidParams("lines must list 1 to 250 lines");
  return list.map((l, i) => {
    if (!l || typeof l !== "object") throw invalidParams(`lines[${i}] is not an object`);
    const line = l as Record<string, unknown>;
    const amountCents = intParam(line, "amountCents", 1, 10_000_000_000);
    if (amountCents === undefined) throw invalidParams(`lines[${i}].amountCents is required`);
    return {
      amountCents,
      description: stringParam(line, "description", /^.{0,4000}$/s),
      itemId: stringParam(line, "itemId", /^\d{1,20}$/),
    };
  });
}

async function invoices(ctx: ConnectorContext, job: SyncJobInput) {
  if (job.direction === "pull") {
    const { rows, pages } = await pull(ctx, job, "Invoice");
    const balanceCents = rows.reduce((sum, r) => sum + toCents(r.Balance), 0);
    return { records: rows.length, detail: { pages, balanceCents } };
  }
  const customerId = requiredString(job.params, "customerId", /^\d{1,20}$/);
  const body: Record<string, unknown> = {
    CustomerRef: { value: customerId },
    Line: lines(job.params).map((l) => ({
      Amount: dollars(l.amountCents),
      DetailType: "SalesItemLineDetail",
      Description: l.description,
      SalesItemLineDetail: { ItemRef: { value: l.itemId ?? "1" } }, // "1" is the Services item every company starts with
    })),
  };
  const due = stringParam(job.params, "dueDate", /^\d{4}-\d{2}-\d{2}$/);
  if (due) body.DueDate = due;
  const res = await ctx.call<{ Invoice: { Id: string; DocNumber?: string; TotalAmt: number } }>({
    method: "POST",
    path: `${company(ctx)}/invoice`,
    query: { minorversion: MINOR_VERSION },
    body,
    idempotencyKey: ctx.key("invoice"),
  });
  return {
    records: 1,
    detail: {
      invoiceId: res.body.Invoice.Id,
      docNumber: res.body.Invoice.DocNumber ?? null,
      totalCents: toCents(res.body.Invoice.TotalAmt),
    },
  };
}

export const connector: Connector = {
  provider: "quickbooks",
  defaultBaseUrl: "https://quickbooks.api.intuit.com", // sandbox companies: https://sandbox-quickbooks.api.intuit.com
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.accessToken ?? ""}`),
  idempotencyQueryParam: "requestid",
  rateLimitPerMinute: 500, // Intuit's limit per company
  async test(ctx) {
    const realm = ctx.credentials.realmId ?? "";
    const res = await ctx.call<{ CompanyInfo: { CompanyName: string; Country?: string } }>({
      method: "GET",
      path: `${company(ctx)}/companyinfo/${encodeURIComponent(realm)}`,
      query: { minorversion: MINOR_VERSION },
    });
    return { companyName: res.body.CompanyInfo.CompanyName, country: res.body.CompanyInfo.Country ?? null };
  },
  entities: {
    customers: {
      directions: ["push", "pull"],
      description: "Push: create params.displayName (params.email). Pull: customers changed since `since`.",
      run: customers,
    },
    invoices: {
      directions: ["push", "pull"],
      description:
        "Push: invoice params.customerId for params.lines [{amountCents, description?, itemId?}], params.dueDate. Pull: invoices changed since `since`.",
      run: invoices,
    },
  },
  oauth: {
    grant: "authorization_code",
    authorizeUrl: "https://appcenter.intuit.com/connect/oauth2",
    tokenUrl: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
    scopes: ["com.intuit.quickbooks.accounting"],
    pkce: false,
    clientAuth: "basic",
    callbackFields: ["realmId"],
  },
};
