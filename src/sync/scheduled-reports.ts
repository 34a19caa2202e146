// Scheduled reports (seed 002 §5.5, GET/POST /v1/reports/scheduled). Every five minutes the cron finds,
// for each enabled schedule, the last whole period in the tenant's time zone (yesterday, last week, last
// month) and makes that period's report once: the file's row is claimed by the unique (schedule,
// period), so a cron that fires twice makes one file. The file goes to R2 under the tenant's prefix,
// and a link to it (GET /v1/reports/files/{id}, which needs a key or sign-in of the same tenant with
// reports:read) is emailed to each recipient through the tenant's messaging connector, as a sync job
// (src/sync/requests.ts sendMessage). Without a connected email provider the file is still stored, and
// the row says so.
import type { Bindings } from "../env";
import { errorText, log } from "../lib/log";
import { lastWholePeriod, type Frequency, type ReportFormat } from "../domain/reports";
import { CONTENT_TYPES } from "../domain/report-files";
import { db } from "../storage/db";
import {
  claimReportFile,
  deleteReportFile,
  enabledSchedules,
  fileOfPeriod,
  updateReportFile,
  type ScheduleRow,
} from "../storage/report-runs";
import { buildReportFile, newReportFileId, reportKey } from "./reports";
import { CapabilityUnavailable, sendMessage, type Connectors } from "./requests";

const PER_PAGE = 200;
/** A file still pending this long after its claim belongs to a run that died: the period is made again. */
const PENDING_STALE_MS = 15 * 60_000;

export type ScheduledRun = { scheduleId: string; period: string } & (
  | { made: true; fileId: string; delivery: string }
  | { made: false }
);

export const downloadPath = (fileId: string) => `/v1/reports/files/${fileId}`;

async function runSchedule(
  env: Bindings,
  connectors: Connectors,
  s: ScheduleRow,
  timezone: string,
  nowMs: number,
): Promise<ScheduledRun> {
  const database = db(env.DB);
  const period = lastWholePeriod(s.frequency as Frequency, nowMs, timezone);
  const format = s.format as ReportFormat;
  const id = newReportFileId();
  const claim = () =>
    claimReportFile(database, {
      id,
      tenantId: s.tenantId,
      scheduleId: s.id,
      period: period.name,
      template: s.template,
      format,
      r2Key: reportKey(s.tenantId, id, format),
      status: "pending",
      createdAt: nowMs,
    });
  let row = await claim();
  if (!row) {
    const held = await fileOfPeriod(database, s.tenantId, s.id, period.name);
    if (held?.status !== "pending" || nowMs - held.createdAt <= PENDING_STALE_MS)
      return { scheduleId: s.id, period: period.name, made: false }; // this period's file exists, or is being made
    await deleteReportFile(database, s.tenantId, held.id);
    row = await claim();
    if (!row) return { scheduleId: s.id, period: period.name, made: false };
  }
  try {
    const { bytes } = await buildReportFile(env, s.tenantId, {
      template: s.template,
      format,
      range: { from: period.from, to: period.to },
      filters: s.filters as Record<string, string>,
    });
    await env.BLOBS.put(row.r2Key, bytes, {
      httpMetadata: { contentType: CONTENT_TYPES[format] },
      customMetadata: { tenantId: s.tenantId, scheduleId: s.id, period: period.name },
    });
    await updateReportFile(database, s.tenantId, id, { status: "stored", bytes: bytes.byteLength });
  } catch (err) {
    // Nothing was sent: give the period back so the next run makes it again.
    await deleteReportFile(database, s.tenantId, id);
    throw err;
  }
  const link = `${s.linkOrigin}${downloadPath(id)}`;
  const sent: string[] = [];
  let delivery: string;
  try {
    for (const to of s.recipients) {
      const job = await sendMessage(env, connectors, s.tenantId, {
        channel: "email",
        to,
        subject: `${s.name}: ${period.name}`,
        text: `Your scheduled Curbgate report "${s.name}" for ${period.from} to ${period.to} is ready.\n\nDownload it (sign in with a Curbgate account of this city that can read reports): ${link}\n`,
        purpose: "scheduled_report",
        dedupeKey: `report:${id}:${to}`,
      });
      sent.push(job.jobId);
    }
    delivery = s.recipients.length ? `emailed (jobs ${sent.join(", ")})` : "no recipients";
  } catch (err) {
    // No email provider connected (CapabilityUnavailable) or the queue refused: the file stays stored
    // and its row says why nobody was told (the schedule listing shows it).
    delivery = `${sent.length ? `emailed ${sent.length} of ${s.recipients.length}, then ` : ""}not emailed: ${errorText(err)}`;
    if (!(err instanceof CapabilityUnavailable)) log.warn("scheduled report not emailed", { fileId: id, error: errorText(err) });
  }
  await updateReportFile(database, s.tenantId, id, { delivery });
  return { scheduleId: s.id, period: period.name, made: true, fileId: id, delivery };
}

/** The cron's step: each enabled schedule's last whole period, once. */
export async function runScheduledReports(env: Bindings, connectors: Connectors, nowMs = Date.now()): Promise<ScheduledRun[]> {
  const out: ScheduledRun[] = [];
  let after = "";
  for (;;) {
    const page = await enabledSchedules(db(env.DB), after, PER_PAGE);
    for (const { schedule, timezone } of page) {
      try {
        out.push(await runSchedule(env, connectors, schedule, timezone, nowMs));
      } catch (err) {
        log.error("scheduled report failed", { scheduleId: schedule.id, tenantId: schedule.tenantId, error: errorText(err) });
      }
    }
    if (page.length < PER_PAGE) break;
    after = page.at(-1)!.schedule.id;
  }
  const made = out.filter((r) => r.made).length;
  if (made) log.info("scheduled reports made", { made });
  return out;
}
