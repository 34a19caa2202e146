// /v1/citations: issue, search, read, evidence out, and the lifecycle steps (docs/enforcement.md, "Citations").
import { router } from "../../http/router";
import { citationActions } from "./actions";
import { createCitation } from "./create";
import { citationEvidence } from "./evidence";
import { getCitation } from "./get";
import { listCitations } from "./list";

export const citations = router()
  .route("/", listCitations)
  .route("/", createCitation)
  .route("/", getCitation)
  .route("/", citationEvidence)
  .route("/", citationActions);
