// Starting a session in BENCHSES: a Durable Object write, and an outbox that drains to D1 behind it.
import { ZONES } from "../lib/settings.mjs";

/** Every request parks a new plate, so none gets a 409. */
export function sessionStartScenario(appKey, runTag) {
  let sessionCounter = 0;
  return {
    id: "sessionStart",
    title: "POST /v1/sessions (start)",
    method: "POST",
    path: "/v1/sessions",
    headers: { authorization: `Bearer ${appKey}`, "content-type": "application/json" },
    setupRequest: (req) => ({
      ...req,
      body: JSON.stringify({ plate: `N${runTag}${sessionCounter++}`, state: "CT", zone: ZONES.sessions, minutes: 60 }),
    }),
  };
}
