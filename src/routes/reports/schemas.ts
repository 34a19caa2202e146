// The shared zod models of /v1/reports (seed 002 §5.5): templates, a report request, schedules, a day of
// reconciliation. Money is integer minor units of the row's currency.
import { z } from "@hono/zod-openapi";
import { MAX_RANGE_DAYS, TEMPLATES } from "../../domain/reports";

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine((s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  }, "not a calendar date")
  .openapi({ example: "2026-03-08" });

export const Format = z.enum(["csv", "json", "pdf"]);

const ColumnSchema = z.object({ key: z.string(), label: z.string(), kind: z.enum(["text", "int", "minor", "percent"]) });

export const TemplateSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.enum(["financial", "operational", "enforcement"]),
    formats: z.array(Format),
    filters: z.array(z.enum(["zone", "provider", "method", "currency"])),
    maxRangeDays: z.number().int(),
    columns: z.array(ColumnSchema),
  })
  .openapi("ReportTemplate");

const FilterValue = z.string().min(1).max(64);
export const Filters = z
  .object({
    zone: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,16}$/, "a zone code")
      .transform((s) => s.toUpperCase())
      .optional(),
    provider: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, "a provider id, e.g. stripe")
      .optional(),
    method: FilterValue.optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "an ISO 4217 code")
      .transform((s) => s.toUpperCase())
      .optional(),
  })
  .strict()
  .default({});

export const GenerateBody = z
  .object({
    template: z.enum(TEMPLATES.map((t) => t.id) as [string, ...string[]]).openapi({ example: "revenue_by_zone" }),
    format: Format.default("json"),
    range: z.object({ from: LocalDate, to: LocalDate }).openapi({
      description: `Local dates of the tenant, both included; at most ${MAX_RANGE_DAYS} days (the template may say fewer)`,
    }),
    filters: Filters,
  })
  .openapi("ReportRequest");

export const ReportTableSchema = z
  .object({
    template: z.string(),
    title: z.string(),
    timezone: z.string(),
    range: z.object({ from: z.string(), to: z.string() }),
    filters: z.record(z.string(), z.string()),
    columns: z.array(ColumnSchema),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  })
  .openapi("Report");

export const ScheduleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    template: GenerateBody.shape.template,
    format: Format.default("csv"),
    frequency: z.enum(["daily", "weekly", "monthly"]),
    filters: Filters,
    recipients: z.array(z.email()).max(20).default([]),
  })
  .openapi("ScheduledReportRequest");

export const ScheduleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    template: z.string(),
    format: Format,
    frequency: z.enum(["daily", "weekly", "monthly"]),
    filters: z.record(z.string(), z.unknown()),
    recipients: z.array(z.string()),
    enabled: z.boolean(),
    createdAt: z.string(),
    lastRun: z
      .object({
        fileId: z.string(),
        period: z.string().nullable(),
        status: z.string(),
        delivery: z.string().nullable(),
        downloadUrl: z.string(),
        at: z.string(),
      })
      .nullable(),
  })
  .openapi("ScheduledReport");
