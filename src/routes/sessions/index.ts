// /v1/sessions: a driver's parking sessions: start, extend, end, read one, search history, pay.
import { router } from "../../http/router";
import { endSession } from "./end";
import { extendSession } from "./extend";
import { getSession } from "./get";
import { listSessions } from "./list";
import { paySession } from "./pay";
import { startSession } from "./start";

export const sessions = router()
  .route("/", startSession)
  .route("/", extendSession)
  .route("/", endSession)
  .route("/", getSession)
  .route("/", listSessions)
  .route("/", paySession);
