// The lifecycle through the routes: every allowed step and every refused one (409 naming the status and
// what it allows), reasons, payments, the system steps the cron and webhooks will take, concurrency, and
// who may take which step.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type CitationAction, type CitationStatus, TRANSITIONS } from "../../../../src/domain/citations";
import { transitionCitation } from "../../../../src/effects/citation-lifecycle";
import { citationById, saveTransition } from "../../../../src/storage/citations";
import { db } from "../../../../src/storage/db";
import { call, expectProblem, json, NO_SCOPES, OFFICER, signStaffJwt } from "../../fixtures";
import {
  citationBody,
  ENFORCEMENT_ADMIN,
  enforcedZone,
  issue,
  OTHER_ENFORCEMENT_ADMIN,
  seedCitationKeys,
  VIEWER,
  writes,
} from "./helpers";

type RouteAction = "pay" | "void" | "appeal" | "uphold" | "dismiss";
const ROUTE_ACTIONS: RouteAction[] = ["pay", "void", "appeal", "uphold", "dismiss"];
const REASONED = new Set<RouteAction>(["void", "appeal", "dismiss"]);

const act = (id: string, action: string, body: unknown = {}, key: string | null = ENFORCEMENT_ADMIN) =>
  call(`/v1/citations/${id}/${action}`, { key, body });
const bodyFor = (action: RouteAction) => (REASONED.has(action) ? { reason: `because ${action}` } : {});
const system = (id: string, action: CitationAction, actor = "system:escalation") =>
  transitionCitation(env, "demo", id, action, { actor });

let zone: string;
beforeAll(async () => {
  await seedCitationKeys();
  zone = await enforcedZone();
});

/** A new citation brought to `status` by the routes (and the system steps for escalation and collections). */
async function citationIn(status: CitationStatus): Promise<string> {
  const { id } = await issue(citationBody(zone));
  const steps: Record<CitationStatus, (RouteAction | CitationAction)[]> = {
    issued: [],
    appealed: ["appeal"],
    upheld: ["appeal", "uphold"],
    dismissed: ["appeal", "dismiss"],
    paid: ["pay"],
    voided: ["void"],
    escalated: ["escalate"],
    in_collections: ["escalate", "collect"],
  };
  for (const step of steps[status]) {
    if (step === "escalate" || step === "collect") await system(id, step);
    else expect((await act(id, step, bodyFor(step))).status).toBe(200);
  }
  return id;
}

describe("every step through the routes", () => {
  const statuses = Object.keys(TRANSITIONS) as CitationStatus[];
  const matrix = statuses.flatMap((from) =>
    ROUTE_ACTIONS.map((action) => [from, action, TRANSITIONS[from][action] ?? null] as const),
  );

  it.each(matrix)("%s --%s--> %s", async (from, action, to) => {
    const id = await citationIn(from);
    const res = await act(id, action, bodyFor(action));
    if (to) {
      expect(res.status).toBe(200);
      const c = await json(res);
      expect(c).toMatchObject({ id, status: to, allowedActions: Object.keys(TRANSITIONS[to]) });
      return;
    }
    const before = await writes();
    const p = await expectProblem(res, 409);
    expect(p).toMatchObject({ currentStatus: from, allowedActions: Object.keys(TRANSITIONS[from]) });
    expect(p.detail).toContain(`is ${from}: ${action} is not allowed`);
    expect(await writes()).toEqual(before);
    expect((await json(await call(`/v1/citations/${id}`))).status).toBe(from);
  });

  it("each step is recorded: the transition, its event, its audit entry and a new version", async () => {
    const id = await citationIn("issued");
    await act(id, "appeal", { reason: "The meter was broken" }, OFFICER);
    await act(id, "uphold", {});
    await act(id, "pay", { reference: "RCPT-1", amountCents: 2500 });
    const c = await json(await call(`/v1/citations/${id}`));
    expect(c).toMatchObject({ status: "paid", version: 4, amountDueCents: 0, paidAt: expect.any(String) });
    expect(c.transitions.map((t: any) => [t.action, t.from, t.to, t.reason, t.actor])).toEqual([
      ["issue", null, "issued", null, "key:key_demo_officer"],
      ["appeal", "issued", "appealed", "The meter was broken", "key:key_demo_officer"],
      ["uphold", "appealed", "upheld", null, `key:key_${ENFORCEMENT_ADMIN}`],
      ["pay", "upheld", "paid", "RCPT-1", `key:key_${ENFORCEMENT_ADMIN}`],
    ]);
    const events = await env.DB.prepare("SELECT type, data FROM domain_events WHERE subject = ? ORDER BY at, type")
      .bind(id)
      .all<{ type: string; data: string }>();
    expect(events.results.map((e) => e.type)).toEqual([
      "citation.issued",
      "citation.appealed",
      "citation.upheld",
      "citation.paid",
    ]);
    expect(JSON.parse(events.results[3]!.data)).toMatchObject({
      from: "upheld",
      to: "paid",
      amountCents: 2500,
      reference: "RCPT-1",
      amountDueCents: 0,
    });
    const audits = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ? ORDER BY at, action")
      .bind(id)
      .all<{ action: string }>();
    expect(audits.results.map((a) => a.action)).toEqual(["citation.issue", "citation.appeal", "citation.uphold", "citation.pay"]);
  });
});

describe("reasons and payments", () => {
  it.each(["void", "appeal"] as const)("%s without a reason, or a blank one, is 422 on `reason`", async (action) => {
    const id = await citationIn("issued");
    for (const body of [{}, { reason: "   " }]) {
      const p = await expectProblem(await act(id, action, body), 422);
      expect(p.errors?.map((e) => e.path)).toEqual(["reason"]);
    }
    expect((await json(await call(`/v1/citations/${id}`))).status).toBe("issued");
  });

  it("dismiss without a reason is 422", async () => {
    const id = await citationIn("appealed");
    await expectProblem(await act(id, "dismiss", {}), 422);
  });

  it("a payment must settle the whole amount due", async () => {
    const id = await citationIn("issued");
    const p = await expectProblem(await act(id, "pay", { amountCents: 1000 }), 422);
    expect(p.errors).toEqual([{ location: "body", path: "amountCents", message: "Must be 2500" }]);
    expect((await act(id, "pay", { amountCents: 2500 })).status).toBe(200);
  });
});

describe("system steps (for the escalation cron and vendors' payment webhooks)", () => {
  it("escalation adds the code's late fee once; collections follow; a vendor's payment settles it", async () => {
    const id = await citationIn("issued");
    const escalated = await system(id, "escalate");
    expect(escalated.citation).toMatchObject({ status: "escalated", lateFeeCents: 1500, escalatedAt: expect.any(Number) });
    expect((await json(await call(`/v1/citations/${id}`))).amountDueCents).toBe(4000);
    await expect(system(id, "escalate")).rejects.toMatchObject({ kind: "conflict", extra: { currentStatus: "escalated" } });
    await system(id, "collect");
    const paid = await transitionCitation(env, "demo", id, "pay", {
      actor: "vendor:ips",
      payment: { reference: "ips-tx-1", amountCents: 4000 },
    });
    expect(paid.citation).toMatchObject({ status: "paid", lateFeeCents: 1500 });
    const c = await json(await call(`/v1/citations/${id}`));
    expect(c.transitions.map((t: any) => [t.action, t.actor])).toEqual([
      ["issue", "key:key_demo_officer"],
      ["escalate", "system:escalation"],
      ["collect", "system:escalation"],
      ["pay", "vendor:ips"],
    ]);
    const types = await env.DB.prepare("SELECT type FROM domain_events WHERE subject = ? ORDER BY at, type")
      .bind(id)
      .all<{ type: string }>();
    expect(types.results.map((t) => t.type)).toEqual([
      "citation.issued",
      "citation.escalated",
      "citation.in_collections",
      "citation.paid",
    ]);
  });

  it("an unknown citation, or another tenant's, is not_found", async () => {
    const id = await citationIn("issued");
    await expect(transitionCitation(env, "other", id, "pay", { actor: "vendor:ips" })).rejects.toMatchObject({
      kind: "not_found",
    });
  });
});

describe("concurrency", () => {
  it("a step from a version already moved on writes nothing and says stale", async () => {
    const id = await citationIn("issued");
    const database = db(env.DB);
    const read = (await citationById(database, "demo", id))!;
    expect((await act(id, "void", { reason: "wrong plate" }, OFFICER)).status).toBe(200);
    const before = await writes();
    const outcome = await saveTransition(database, {
      before: read,
      set: { status: "paid", lateFeeCents: 0, paidAt: Date.now(), escalatedAt: null, collectionsAt: null },
      action: "pay",
      reason: null,
      atMs: Date.now(),
      actor: "system:test",
      requestId: null,
      event: { tenantId: "demo", type: "citation.paid", subject: id, data: {}, at: Date.now() },
      audit: { tenantId: "demo", actor: "system:test", action: "citation.pay", target: id },
    });
    expect(outcome).toBe("stale");
    expect(await writes()).toEqual(before);
    expect((await citationById(database, "demo", id))!.status).toBe("voided");
  });

  it("two steps at once: one wins, the other is 409", async () => {
    const id = await citationIn("issued");
    const results = await Promise.all([act(id, "pay", {}), act(id, "void", { reason: "duplicate ticket" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const c = await json(await call(`/v1/citations/${id}`));
    expect(c.transitions).toHaveLength(2);
    expect(c.version).toBe(2);
  });
});

describe("who may take which step", () => {
  it("an officer may void and appeal, but not uphold, dismiss or record a payment", async () => {
    expect((await act(await citationIn("issued"), "void", { reason: "misread" }, OFFICER)).status).toBe(200);
    const appealed = await citationIn("appealed");
    await expectProblem(await act(appealed, "uphold", {}, OFFICER), 403);
    await expectProblem(await act(appealed, "dismiss", { reason: "x" }, OFFICER), 403);
    await expectProblem(await act(await citationIn("issued"), "pay", {}, OFFICER), 403);
  });

  it("a viewer (key or token) takes no step; no key is 401; a key without scopes 403", async () => {
    const id = await citationIn("issued");
    const viewerToken = await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" });
    for (const key of [VIEWER, viewerToken, NO_SCOPES]) await expectProblem(await act(id, "void", { reason: "x" }, key), 403);
    await expectProblem(await act(id, "void", { reason: "x" }, null), 401);
    expect((await json(await call(`/v1/citations/${id}`, { key: viewerToken }))).status).toBe("issued");
  });

  it("another tenant's citation is 404 for every step, and is left as it was", async () => {
    const id = await citationIn("appealed");
    for (const action of ROUTE_ACTIONS) await expectProblem(await act(id, action, bodyFor(action), OTHER_ENFORCEMENT_ADMIN), 404);
    expect((await json(await call(`/v1/citations/${id}`))).status).toBe("appealed");
  });

  it("an id that is not a citation id is 404", async () => {
    await expectProblem(await act("cit_nope", "pay", {}), 404);
  });
});
