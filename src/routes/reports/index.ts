// /v1/reports (seed 002 §5.5): templates, reports made now, scheduled reports and their stored files,
// and the daily reconciliation (docs/reports.md).
import { router } from "../../http/router";
import { reportFilesRoute } from "./files";
import { generateReport } from "./generate";
import { reconciliationReport } from "./reconciliation";
import { scheduledReports } from "./scheduled";
import { reportTemplates } from "./templates";

export const reports = router()
  .route("/", reportTemplates)
  .route("/", generateReport)
  .route("/", scheduledReports)
  .route("/", reportFilesRoute)
  .route("/", reconciliationReport);
