// The demo city's citations, one in each state of the lifecycle, each with the sample plate photo. They
// are issued and moved through the same code an officer's handheld and the staff dashboard use
// (src/effects), so each has its plate check, its evidence in R2 with a SHA-256, its transitions, events
// and audit entries. The plates have no session or permit, so no override is needed. Seeding again
// changes nothing: a number already on file is not issued again, and a step is taken only while the
// citation's status still allows it.
import type { CitationAction } from "../domain/citations";
import { TRANSITIONS } from "../domain/citations";
import { transitionCitation } from "../effects/citation-lifecycle";
import { issueCitation } from "../effects/citations";
import type { Bindings } from "../env";
import { citationByNumber } from "../storage/citations";
import { db } from "../storage/db";
import { DEMO_PHOTO_BASE64 } from "./demo-enforcement";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const TENANT = "demo";
const ACTOR = "system:demo";

interface DemoCitation {
  number: string;
  plate: string;
  zone: string;
  violationCode: string;
  description: string;
  issuedDaysAgo: number;
  /** Steps after issue, oldest first: the action, how many days ago, and the reason a person gave. */
  steps: { action: CitationAction; daysAgo: number; reason?: string; reference?: string }[];
}

export const DEMO_CITATIONS: DemoCitation[] = [
  {
    number: "DEMO-2026-0001",
    plate: "MNP3321",
    zone: "A1",
    violationCode: "PKG-001",
    description: "Meter expired; no session on the plate",
    issuedDaysAgo: 2,
    steps: [],
  },
  {
    number: "DEMO-2026-0002",
    plate: "QRS7788",
    zone: "A2",
    violationCode: "PKG-002",
    description: "Stayed past the four-hour maximum",
    issuedDaysAgo: 6,
    steps: [{ action: "appeal", daysAgo: 4, reason: "Driver says the pay station was out of order" }],
  },
  {
    number: "DEMO-2026-0003",
    plate: "KLM2468",
    zone: "B1",
    violationCode: "PKG-006",
    description: "Double parked outside 40 Harbor Point",
    issuedDaysAgo: 12,
    steps: [
      { action: "appeal", daysAgo: 10, reason: "Driver says they were loading" },
      { action: "uphold", daysAgo: 7 },
    ],
  },
  {
    number: "DEMO-2026-0004",
    plate: "FGH1357",
    zone: "A1",
    violationCode: "PKG-004",
    description: "Within 10 feet of the hydrant at Main and Bank",
    issuedDaysAgo: 25,
    steps: [{ action: "escalate", daysAgo: 4 }],
  },
  {
    number: "DEMO-2026-0005",
    plate: "DEF9090",
    zone: "A2",
    violationCode: "PKG-001",
    description: "Meter expired; no session on the plate",
    issuedDaysAgo: 75,
    steps: [
      { action: "escalate", daysAgo: 45 },
      { action: "collect", daysAgo: 15 },
    ],
  },
  {
    number: "DEMO-2026-0006",
    plate: "JKL4321",
    zone: "B2",
    violationCode: "PKG-001",
    description: "Meter expired; no session on the plate",
    issuedDaysAgo: 3,
    steps: [{ action: "pay", daysAgo: 1, reference: "demo-receipt-0006" }],
  },
  {
    number: "DEMO-2026-0007",
    plate: "VWX6060",
    zone: "A1",
    violationCode: "PKG-003",
    description: "No permit displayed",
    issuedDaysAgo: 8,
    steps: [{ action: "void", daysAgo: 7, reason: "Permit was on the dashboard; the officer missed it" }],
  },
  {
    number: "DEMO-2026-0008",
    plate: "STU5544",
    zone: "B1",
    violationCode: "PKG-005",
    description: "Stopped in the bus stop at Harbor Point",
    issuedDaysAgo: 20,
    steps: [
      { action: "appeal", daysAgo: 18, reason: "Hazard lights on for a breakdown; tow receipt attached" },
      { action: "dismiss", daysAgo: 14, reason: "Breakdown confirmed by the tow receipt" },
    ],
  },
];

/** Issues what is missing and takes the steps still open; returns how many citations it issued. */
export async function seedDemoCitations(env: Bindings, now: number): Promise<number> {
  const database = db(env.DB);
  let issued = 0;
  for (const d of DEMO_CITATIONS) {
    // An hour after this time of day, so many days ago; never later than an hour ago.
    const issuedAtMs = Math.min(now - d.issuedDaysAgo * DAY + HOUR, now - HOUR);
    let citation = await citationByNumber(database, TENANT, d.number);
    if (!citation) {
      const request = { number: d.number, plate: d.plate, zone: d.zone, violationCode: d.violationCode };
      ({ citation } = await issueCitation(
        env,
        {
          tenantId: TENANT,
          source: "native",
          number: d.number,
          request,
          plate: d.plate,
          state: "CT",
          zone: d.zone,
          violationCode: d.violationCode,
          description: d.description,
          issuedAtMs,
          officer: { id: "officer_123", name: "Officer Smith", badge: "1234" },
          deviceId: "handheld_456",
          location: { address: null, latitude: null, longitude: null },
          violationId: null,
          evidence: [{ type: "PHOTO", base64Data: DEMO_PHOTO_BASE64, declaredMimeType: "image/png", capturedAtMs: issuedAtMs }],
          overrideReason: null,
          fields: {
            issuedAt: "issuedAt",
            zone: "zone",
            violationCode: "violationCode",
            evidence: "evidence",
            override: "override.reason",
            violationId: "violationId",
          },
        },
        { actor: ACTOR, requestId: null },
        issuedAtMs, // recorded as if written when the officer issued it, before the steps that follow
      ));
      issued++;
    }
    for (const step of d.steps) {
      if (!TRANSITIONS[citation.status][step.action]) continue; // taken on an earlier seed
      ({ citation } = await transitionCitation(env, TENANT, citation.id, step.action, {
        actor: ACTOR,
        reason: step.reason ?? null,
        payment: step.reference ? { reference: step.reference } : undefined,
        atMs: Math.max(issuedAtMs, now - step.daysAgo * DAY),
      }));
    }
  }
  return issued;
}
