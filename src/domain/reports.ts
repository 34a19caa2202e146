// Staff reports (docs/reports.md): the templates, what each accepts, the limits on a range, the
// periods a schedule runs for, and how aggregate rows become a table. Pure: storage does the GROUP BY in
// D1, and src/domain/report-files.ts turns a table into CSV, JSON or PDF bytes.
//
// A range is two local dates of the tenant, both included; money is integer minor units of the row's
// currency (a column per currency is never summed across currencies: currency is part of every group).
import { localDay } from "./reconciliation";
import { localParts } from "./clock";

export type ReportFormat = "csv" | "json" | "pdf";
export type ColumnKind = "text" | "int" | "minor" | "percent";

export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}
export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface ReportTable {
  template: string;
  title: string;
  timezone: string;
  range: { from: string; to: string };
  filters: Record<string, string>;
  columns: Column[];
  rows: Row[];
}

/** The longest range a report covers: a quarter. A month of a 50 000-payments-a-day city is the bench case. */
export const MAX_RANGE_DAYS = 92;

export type TemplateId =
  | "revenue_by_zone"
  | "revenue_by_day"
  | "revenue_by_provider"
  | "revenue_by_method"
  | "daily_revenue_summary"
  | "occupancy_by_zone"
  | "citations_by_zone";

export type FilterName = "zone" | "provider" | "method" | "currency";

export interface Template {
  id: TemplateId;
  title: string;
  description: string;
  category: "financial" | "operational" | "enforcement";
  formats: ReportFormat[];
  filters: FilterName[];
  /** At most this many days; `daily_revenue_summary` is one day. */
  maxRangeDays: number;
  columns: Column[];
}

const REVENUE_COLUMNS: Column[] = [
  { key: "currency", label: "Currency", kind: "text" },
  { key: "payments", label: "Payments", kind: "int" },
  { key: "grossCents", label: "Gross", kind: "minor" },
  { key: "feeCents", label: "Fees", kind: "minor" },
  { key: "netCents", label: "Net", kind: "minor" },
  { key: "refunds", label: "Refunds", kind: "int" },
  { key: "refundCents", label: "Refunded", kind: "minor" },
  { key: "refundFeeCents", label: "Fees returned with refunds", kind: "minor" },
  { key: "netAfterRefundsCents", label: "Net after refunds", kind: "minor" },
];
const REVENUE_FILTERS: FilterName[] = ["zone", "provider", "method", "currency"];

const revenue = (id: TemplateId, by: string, label: string, description: string): Template => ({
  id,
  title: `Revenue by ${label.toLowerCase()}`,
  description,
  category: "financial",
  formats: ["csv", "json"],
  filters: REVENUE_FILTERS,
  maxRangeDays: MAX_RANGE_DAYS,
  columns: [{ key: by, label, kind: "text" }, ...REVENUE_COLUMNS],
});

export const TEMPLATES: readonly Template[] = [
  revenue(
    "revenue_by_zone",
    "zone",
    "Zone",
    "Payments whose money moved in the range, and refunds made in it, per zone (none: a citation or no session).",
  ),
  revenue("revenue_by_day", "date", "Date", "The same per local day of the tenant (23- and 25-hour days included)."),
  revenue("revenue_by_provider", "provider", "Provider", "The same per payment provider."),
  revenue(
    "revenue_by_method",
    "method",
    "Method",
    "The same per payment method (card, bank_transfer, …; unknown when the provider did not say).",
  ),
  {
    id: "daily_revenue_summary",
    title: "Daily revenue summary",
    description: "One local day's revenue per zone with a total line; the only template also made as PDF.",
    category: "financial",
    formats: ["pdf", "csv", "json"],
    filters: ["currency"],
    maxRangeDays: 1,
    columns: [{ key: "zone", label: "Zone", kind: "text" }, ...REVENUE_COLUMNS],
  },
  {
    id: "occupancy_by_zone",
    title: "Occupancy and turnover by zone",
    description:
      "From session history: sessions that overlap the range, the occupied share of the zone's capacity, and turnover (sessions per space per day).",
    category: "operational",
    formats: ["csv", "json"],
    filters: ["zone"],
    maxRangeDays: MAX_RANGE_DAYS,
    columns: [
      { key: "zone", label: "Zone", kind: "text" },
      { key: "capacity", label: "Spaces", kind: "int" },
      { key: "sessions", label: "Sessions", kind: "int" },
      { key: "distinctPlates", label: "Vehicles", kind: "int" },
      { key: "occupiedHours", label: "Occupied hours", kind: "int" },
      { key: "occupancyPercent", label: "Occupancy %", kind: "percent" },
      { key: "turnoverPerSpacePerDay", label: "Turnover per space per day", kind: "percent" },
    ],
  },
  {
    id: "citations_by_zone",
    title: "Outstanding and paid citations",
    description:
      "Citations issued in the range per zone: outstanding (what is still owed, late fees included), paid, and closed without payment.",
    category: "enforcement",
    formats: ["csv", "json"],
    filters: ["zone"],
    maxRangeDays: MAX_RANGE_DAYS,
    columns: [
      { key: "zone", label: "Zone", kind: "text" },
      { key: "issued", label: "Issued", kind: "int" },
      { key: "outstanding", label: "Outstanding", kind: "int" },
      { key: "outstandingCents", label: "Owed", kind: "minor" },
      { key: "paid", label: "Paid", kind: "int" },
      { key: "paidCents", label: "Paid amount", kind: "minor" },
      { key: "closed", label: "Voided or dismissed", kind: "int" },
    ],
  },
];

export const templateById = (id: string): Template | undefined => TEMPLATES.find((t) => t.id === id);

export interface ReportRequest {
  template: string;
  format: ReportFormat;
  range: { from: string; to: string };
  filters: Record<string, string>;
}

/** Why a request cannot be made, field by field (the route answers 422), or an empty list. */
export function requestProblems(req: ReportRequest): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const t = templateById(req.template);
  if (!t) return [{ path: "template", message: `unknown template; one of ${TEMPLATES.map((x) => x.id).join(", ")}` }];
  if (!t.formats.includes(req.format)) out.push({ path: "format", message: `${t.id} is made as ${t.formats.join(", ")}` });
  for (const name of Object.keys(req.filters))
    if (!(t.filters as string[]).includes(name))
      out.push({
        path: `filters.${name}`,
        message: t.filters.length ? `${t.id} filters by ${t.filters.join(", ")}` : `${t.id} takes no filters`,
      });
  const days = rangeDays(req.range.from, req.range.to);
  if (days === null) out.push({ path: "range", message: "from and to are calendar dates, YYYY-MM-DD" });
  else if (days < 1) out.push({ path: "range.to", message: "to is on or after from" });
  else if (days > t.maxRangeDays)
    out.push({ path: "range", message: `${t.id} covers at most ${t.maxRangeDays} day(s); this range has ${days}` });
  return out;
}

const isDate = (ymd: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(ymd) && new Date(`${ymd}T00:00:00Z`).toISOString().slice(0, 10) === ymd;

/** Days in [from, to], both included; null when either is not a calendar date. */
export function rangeDays(from: string, to: string): number | null {
  if (!isDate(from) || !isDate(to)) return null;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The UTC instants [fromMs, toMs) of a local date range, DST days at their true length. */
export function rangeInstants(range: { from: string; to: string }, tz: string) {
  return { fromMs: localDay(range.from, tz).fromMs, toMs: localDay(range.to, tz).toMs };
}

// ---- scheduled periods ----

export type Frequency = "daily" | "weekly" | "monthly";

const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The last whole period before `atMs` in `tz`, which a schedule's run reports: yesterday, last week
 * (Monday to Sunday, named by its ISO week) or last month. The name is unique per period, so a run is
 * recorded once per (schedule, name).
 */
export function lastWholePeriod(frequency: Frequency, atMs: number, tz: string): { name: string; from: string; to: string } {
  const today = localParts(atMs, tz);
  if (frequency === "daily") {
    const d = addDays(today.ymd, -1);
    return { name: d, from: d, to: d };
  }
  if (frequency === "weekly") {
    const thisMonday = addDays(today.ymd, -today.dayIndex);
    const from = addDays(thisMonday, -7);
    return { name: isoWeekName(from), from, to: addDays(from, 6) };
  }
  const firstOfThis = `${today.ymd.slice(0, 7)}-01`;
  const to = addDays(firstOfThis, -1);
  return { name: to.slice(0, 7), from: `${to.slice(0, 7)}-01`, to };
}

/** "2026-W10" for the ISO week that starts on Monday `monday`. */
function isoWeekName(monday: string): string {
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

// ---- rows ----

export interface RevenueAggregate {
  key: string | null;
  currency: string;
  payments: number;
  grossCents: number;
  feeCents: number;
  netCents: number;
}
export interface RefundAggregate {
  key: string | null;
  currency: string;
  refunds: number;
  refundCents: number;
  refundFeeCents: number;
}

/**
 * Revenue rows keyed by `by`, one per (key, currency), sorted; refunds are matched to the group of the
 * payment they refund. Net after refunds = net − refunded + the fee share returned with the refunds.
 */
export function revenueRows(by: string, payments: RevenueAggregate[], refunds: RefundAggregate[], none = "none"): Row[] {
  type Sums = {
    payments: number;
    grossCents: number;
    feeCents: number;
    netCents: number;
    refunds: number;
    refundCents: number;
    refundFeeCents: number;
    netAfterRefundsCents: number;
  };
  const rows = new Map<string, { label: string; currency: string; sums: Sums }>();
  const rowOf = (key: string | null, currency: string): Sums => {
    const k = JSON.stringify([key ?? none, currency]);
    let r = rows.get(k);
    if (!r) {
      const sums = {
        payments: 0,
        grossCents: 0,
        feeCents: 0,
        netCents: 0,
        refunds: 0,
        refundCents: 0,
        refundFeeCents: 0,
        netAfterRefundsCents: 0,
      };
      r = { label: key ?? none, currency, sums };
      rows.set(k, r);
    }
    return r.sums;
  };
  for (const p of payments) {
    const r = rowOf(p.key, p.currency);
    r.payments += p.payments;
    r.grossCents += p.grossCents;
    r.feeCents += p.feeCents;
    r.netCents += p.netCents;
  }
  for (const f of refunds) {
    const r = rowOf(f.key, f.currency);
    r.refunds += f.refunds;
    r.refundCents += f.refundCents;
    r.refundFeeCents += f.refundFeeCents;
  }
  return [...rows.values()]
    .sort((a, b) => a.label.localeCompare(b.label) || a.currency.localeCompare(b.currency))
    .map(({ label, currency, sums }) => ({
      [by]: label,
      currency,
      ...sums,
      netAfterRefundsCents: sums.netCents - sums.refundCents + sums.refundFeeCents,
    }));
}

/** Aggregates by instant bucket (storage groups by 15 minutes, every UTC offset's granularity) folded into local dates. */
export function byLocalDate<T extends { bucketMs: number }>(rows: T[], tz: string): (Omit<T, "bucketMs"> & { key: string })[] {
  return rows.map(({ bucketMs, ...rest }) => ({ ...rest, key: localParts(bucketMs, tz).ymd }));
}

/** Adds a total line per currency under the rows (the daily summary's last lines). */
export function withTotals(by: string, rows: Row[]): Row[] {
  const totals = new Map<string, Record<string, Cell>>();
  for (const r of rows) {
    const currency = String(r.currency);
    const t = totals.get(currency) ?? { [by]: "TOTAL", currency };
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") t[k] = ((t[k] as number | undefined) ?? 0) + v;
    totals.set(currency, t);
  }
  return [...rows, ...totals.values()];
}

export interface OccupancyAggregate {
  zone: string;
  capacity: number | null;
  sessions: number;
  distinctPlates: number;
  occupiedMs: number;
}

/** Occupancy = occupied space-time over capacity × the range's length; turnover = sessions per space per day. */
export function occupancyRows(rows: OccupancyAggregate[], rangeMs: number, days: number): Row[] {
  const pct = (x: number) => Math.round(x * 10_000) / 100;
  return [...rows]
    .sort((a, b) => a.zone.localeCompare(b.zone))
    .map((r) => ({
      zone: r.zone,
      capacity: r.capacity,
      sessions: r.sessions,
      distinctPlates: r.distinctPlates,
      occupiedHours: Math.round(r.occupiedMs / 3_600_000),
      occupancyPercent: r.capacity ? pct(r.occupiedMs / (r.capacity * rangeMs)) : null,
      turnoverPerSpacePerDay: r.capacity ? Math.round((r.sessions / r.capacity / days) * 100) / 100 : null,
    }));
}
