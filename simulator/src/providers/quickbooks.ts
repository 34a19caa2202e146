// QuickBooks Online Accounting API v3, as Intuit documents it: OAuth 2 bearer tokens (the
// authorisation server at /connect/oauth2 and /oauth2/v1/tokens/bearer, client secret by HTTP Basic,
// the company's realmId on the redirect back), every path under /v3/company/{realmId}, JSON bodies
// wrapped in the entity's name, the `requestid` query parameter for idempotent writes, the query
// language for reads, errors as { Fault: { Error: [{ Message, Detail, code }], type }, time }.
// Only what Curbgate's connector uses: company info, customers, invoices, queries.
import { json } from "../http";
import { OAuthServer, type OAuthAccount } from "../oauth";
import type { SimProvider, SimRequest } from "../types";

interface Entity { Id: string; SyncToken: string; MetaData: { CreateTime: string; LastUpdatedTime: string }; [k: string]: unknown }
interface Company { customers: Entity[]; invoices: Entity[] }

const companies = new Map<string, Company>();
const companyOf = (realm: string) => companies.get(realm) ?? companies.set(realm, { customers: [], invoices: [] }).get(realm)!;

/** A company id for an app, stable per client id, digits only like Intuit's. */
export function realmOf(clientId: string): string {
  let h = 7;
  for (const ch of clientId) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return `9130${String(h).padStart(12, "0")}`;
}

const TYPES: Record<number, [string, string]> = { 400: ["ValidationFault", "2020"], 401: ["AUTHENTICATION", "3200"], 403: ["AuthorizationFault", "3100"], 404: ["ValidationFault", "610"], 429: ["ThrottleExceeded", "3001"] };
function error(status: number, message: string, code?: string) {
  const [type, numeric] = TYPES[status] ?? ["SystemFault", "10000"];
  return json({ Fault: { Error: [{ Message: message, Detail: message, code: code && /^\d+$/.test(code) ? code : numeric }], type }, time: new Date().toISOString() }, status);
}

const oauth = new OAuthServer({
  authorizePath: "/connect/oauth2",
  tokenPath: "/oauth2/v1/tokens/bearer",
  clientAuth: "basic",
  defaults: { accessTokenTtlSeconds: 3600, refresh: "reuse", autoApprove: true },
  callbackParams: (clientId) => ({ realmId: realmOf(clientId) }),
  tokenExtras: { x_refresh_token_expires_in: 8_726_400 },
});

const stamp = () => {
  const now = new Date().toISOString();
  return { CreateTime: now, LastUpdatedTime: now };
};
const money = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v * 100) / 100 : null);

function createCustomer(r: SimRequest, c: Company) {
  const name = r.fields.DisplayName;
  if (typeof name !== "string" || !name.trim()) return error(400, "Required param missing, need to supply the required value for the API: DisplayName", "2020");
  if (c.customers.some((x) => x.DisplayName === name)) return error(400, `Duplicate Name Exists Error: The name supplied already exists. : ${name}`, "6240");
  const customer: Entity = { Id: String(c.customers.length + 1), SyncToken: "0", DisplayName: name, Active: true, Balance: 0, MetaData: stamp() };
  if (r.fields.PrimaryEmailAddr) customer.PrimaryEmailAddr = r.fields.PrimaryEmailAddr;
  c.customers.push(customer);
  return json({ Customer: customer, time: new Date().toISOString() });
}

function createInvoice(r: SimRequest, c: Company) {
  const ref = (r.fields.CustomerRef as { value?: unknown } | undefined)?.value;
  if (!c.customers.some((x) => x.Id === ref)) return error(400, `Invalid Reference Id : Customer assigned to this transaction has been deleted or does not exist: ${String(ref)}`, "2500");
  const lines = r.fields.Line;
  if (!Array.isArray(lines) || lines.length === 0) return error(400, "Required param missing, need to supply the required value for the API: Line", "2020");
  let total = 0;
  for (const l of lines as { Amount?: unknown }[]) {
    const amount = money(l.Amount);
    if (amount === null || amount < 0) return error(400, "Invalid Number: Line.Amount", "2020");
    total += amount;
  }
  total = Math.round(total * 100) / 100;
  const invoice: Entity = {
    Id: String(1000 + c.invoices.length + 1), SyncToken: "0", DocNumber: String(1001 + c.invoices.length), CustomerRef: { value: ref }, Line: lines,
    TotalAmt: total, Balance: total, DueDate: r.fields.DueDate ?? null, MetaData: stamp(),
  };
  c.invoices.push(invoice);
  return json({ Invoice: invoice, time: new Date().toISOString() });
}

const QUERY = /^select \* from (customer|invoice)(?: where metadata\.lastupdatedtime >= '([^']+)')?(?: startposition (\d+))?(?: maxresults (\d+))?$/i;
function query(r: SimRequest, c: Company) {
  const m = (r.url.searchParams.get("query") ?? "").trim().match(QUERY);
  if (!m) return error(400, "QueryParserError: Encountered an unsupported query", "4000");
  const table = m[1]!.toLowerCase() === "customer" ? "Customer" : "Invoice";
  const since = m[2] ? Date.parse(m[2]) : null;
  const start = Number(m[3] ?? 1);
  const max = Math.min(1000, Number(m[4] ?? 100));
  const all = (table === "Customer" ? c.customers : c.invoices).filter((e) => since === null || Date.parse(e.MetaData.LastUpdatedTime) >= since);
  const page = all.slice(start - 1, start - 1 + max);
  return json({ QueryResponse: { [table]: page, startPosition: start, maxResults: page.length }, time: new Date().toISOString() });
}

const ROUTE = /^\/v3\/company\/(\d+)\/(companyinfo\/(\d+)|customer|invoice|query)$/;

export const quickbooks: SimProvider = {
  name: "quickbooks",
  idempotencyKeyOf: (r) => r.url.searchParams.get("requestid"), // Intuit reads it from the query string
  oauth,
  authenticate: (r) => oauth.authenticate(r, (message) => error(401, `message=AuthenticationFailed; errorCode=003200; statusCode=401; ${message}`)),
  handle(r, account) {
    const m = r.path.match(ROUTE);
    if (!m) return error(404, `Unsupported operation requested: ${r.method} ${r.path}`);
    const realm = realmOf((account as OAuthAccount).clientId);
    // A token opens only the company that authorised it.
    if (m[1] !== realm) return error(403, "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403");
    const c = companyOf(realm);
    const route = `${r.method} ${m[2]!.startsWith("companyinfo") ? "companyinfo" : m[2]}`;
    if (route === "GET companyinfo") return json({ CompanyInfo: { Id: realm, CompanyName: "Simulated City Parking LLC", Country: "US" }, time: new Date().toISOString() });
    if (route === "POST customer") return createCustomer(r, c);
    if (route === "POST invoice") return createInvoice(r, c);
    if (route === "GET query") return query(r, c);
    return error(405 as number, `Method ${r.method} not allowed`);
  },
  error,
  reset: () => companies.clear(),
};
