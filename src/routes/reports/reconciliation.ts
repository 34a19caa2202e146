// GET /v1/reports/reconciliation?date=YYYY-MM-DD: one local day of the tenant as GTCS is sent it (the
// transactions, the totals, fees and net), its settlement check (the ledger's payments per provider and
// settlement batch, against the batch the tenant's routing expects, and every payment that does not
// match), and the versions pushed to GTCS so far. CSV (`?format=csv` or `Accept: text/csv`) is the
// transactions table, one row per transaction, the same values as the JSON's `transactions`.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { toCsv } from "../../domain/report-files";
import { db } from "../../storage/db";
import { pushesOf } from "../../storage/report-runs";
import { gtcsRevenueAccount } from "../../sync/daily-reconciliation";
import { reconciliationDay } from "../../sync/reconciliation-day";
import { bearer, errors, iso } from "../common";
import { fileResponse, wantsCsv } from "./respond";
import { LocalDate } from "./schemas";

export const CSV_COLUMNS = [
  "transactionId",
  "timestamp",
  "type",
  "zone",
  "provider",
  "amountCents",
  "feeCents",
  "accountingCode",
].map((key) => ({ key }));

const Transaction = z.object({
  transactionId: z.string(),
  timestamp: z.string(),
  type: z.enum(["PARKING_PAYMENT", "REFUND"]),
  zone: z.string().nullable(),
  provider: z.string(),
  amountCents: z.number().int(),
  feeCents: z.number().int(),
  accountingCode: z.string(),
});
const Group = z.object({
  provider: z.string(),
  currency: z.string(),
  settlementDate: z.string().nullable(),
  settlementBatch: z.string().nullable(),
  payments: z.number().int(),
  grossCents: z.number().int(),
  feeCents: z.number().int(),
  netCents: z.number().int(),
});
const Mismatch = z.object({
  kind: z.enum(["no_settlement", "batch_differs", "split_does_not_add_up"]),
  paymentId: z.string(),
  provider: z.string(),
  providerTransactionId: z.string(),
  actual: z.object({ settlementDate: z.string().nullable(), settlementBatch: z.string().nullable() }),
  expected: z.object({ settlementDate: z.string(), settlementBatch: z.string() }),
  detail: z.string(),
});
const DaySchema = z
  .object({
    date: z.string(),
    timezone: z.string(),
    currency: z.string(),
    hours: z.number().int(),
    reportPeriod: z.object({ from: z.string(), to: z.string() }),
    transactions: z.array(Transaction),
    summary: z.object({
      transactions: z.number().int(),
      totalCents: z.number().int(),
      feeCents: z.number().int(),
      netCents: z.number().int(),
      refundFeeCents: z.number().int(),
      otherCurrencies: z.number().int(),
    }),
    settlement: z.object({ matched: z.boolean(), groups: z.array(Group), mismatches: z.array(Mismatch) }),
    fingerprint: z.string(),
    pushes: z.array(
      z.object({
        version: z.number().int(),
        fingerprint: z.string(),
        transactions: z.number().int(),
        totalCents: z.number().int(),
        jobId: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .openapi("ReconciliationDay");

const route = createRoute({
  method: "get",
  path: "/reconciliation",
  tags: ["Reports"],
  summary: "One local day's reconciliation, with its settlement check",
  description:
    "The day is the tenant's local date (23 or 25 hours on daylight-saving days). Amounts are integer minor units; refunds are negative. CSV with `?format=csv` or `Accept: text/csv`.",
  security: bearer,
  middleware: [requireScope("reports:read")] as const,
  request: {
    query: z.object({
      date: LocalDate,
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, "an ISO 4217 code")
        .transform((s) => s.toUpperCase())
        .default("USD"),
      format: z.enum(["json", "csv"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "The day",
      content: { "application/json": { schema: DaySchema }, "text/csv": { schema: z.string() } },
    },
    ...errors(),
  },
});

export const reconciliationReport = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const tenantId = c.get("principal").tenantId;
  const day = await reconciliationDay(c.env, tenantId, q.date, q.currency, await gtcsRevenueAccount(c.env, tenantId));
  if (wantsCsv(q.format, c.req.header("accept"))) {
    const bytes = new TextEncoder().encode(
      toCsv(
        CSV_COLUMNS,
        day.transactions.map((t) => ({ ...t })),
      ),
    );
    return fileResponse(bytes, "csv", `reconciliation_${q.date}`, bytes.byteLength) as never;
  }
  const pushes = (await pushesOf(db(c.env.DB), tenantId, q.date)).map((p) => ({
    version: p.version,
    fingerprint: p.fingerprint,
    transactions: p.transactions,
    totalCents: p.totalCents,
    jobId: p.jobId,
    at: iso(p.createdAt),
  }));
  return c.json({ ...day, pushes }, 200);
});
