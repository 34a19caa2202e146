// Brevo and SendGrid against the provider simulator, through the queue consumer, the gate and the call
// log: email as the `messaging` capability (queued by sendMessage), contacts as a sync entity. Then what
// goes wrong: a refused key fails the job without retrying, 429 delays it by its Retry-After, a 5xx storm
// still sends each email once, and a send whose outcome is unknown is never blindly repeated.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { uuidOf } from "../../../src/vendors/brevo/connector";
import type { Bindings } from "../../../src/env";
import { sendMessage } from "../../../src/sync/requests";
import { CONNECTORS } from "../../../src/vendors";
import { call, json, uniq } from "../fixtures";
import {
  clearFaults,
  connectTo,
  consume,
  drain,
  jobFor,
  jobRow,
  lastSeq,
  message,
  resetSimulator,
  setFaults,
  settled,
  sim,
  simCalls,
  simEffects,
  startSync,
  syncTenant,
} from "./fixtures";

const fast: Bindings = { ...env, SYNC_RETRY_BASE_SECONDS: "1", SYNC_MAX_ATTEMPTS: "40" };
const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const rand = (n: number, alphabet = B62) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => alphabet[b % alphabet.length]).join("");
const SENDER = { fromEmail: "parking@city.test", fromName: "City Parking" };

const creds = {
  brevo: () => ({
    apiKey: `xkeysib-${rand(64, "0123456789abcdef")}-${rand(16, B62.slice(0, 62))}`,
    webhookToken: `tok_${uniq(16)}`,
  }),
  sendgrid: () => ({
    apiKey: `SG.${rand(22)}.${rand(43)}`,
    webhookVerificationKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsimulatorKeyOnly",
  }),
};
type EmailProvider = keyof typeof creds;
const SEND_PATH: Record<EmailProvider, string> = { brevo: "/v3/smtp/email", sendgrid: "/v3/mail/send" };
const SEND_STATUS: Record<EmailProvider, number> = { brevo: 201, sendgrid: 202 };
const driver = () => `driver.${uniq(8).toLowerCase()}@mail.test`;
const emailParams = (to: string) => ({
  channel: "email",
  to,
  subject: "Your parking ends soon",
  text: "Your session in A1 ends at 14:30.",
  purpose: "expiry_reminder",
});
const callRows = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM integration_calls WHERE tenant_id = ? ORDER BY at")
    .bind(tenantId)
    .all<{ path: string; status: number | null; ok: number; error: string | null; idempotency_key: string | null }>();

async function emailTenant(provider: EmailProvider, prefix: string) {
  const t = await syncTenant(prefix);
  const c = creds[provider]();
  await connectTo(t.key, provider, c, SENDER);
  return { ...t, creds: c };
}

beforeAll(async () => {
  await resetSimulator();
});
beforeEach(async () => {
  await Promise.all(["brevo", "sendgrid"].map(clearFaults));
});

for (const provider of ["brevo", "sendgrid"] as const) {
  describe(`${provider} email`, () => {
    it("sends one email queued by sendMessage, logs the call, and masks the address wherever the job is shown", async () => {
      const t = await emailTenant(provider, provider.slice(0, 3));
      const to = driver();
      const queued = await sendMessage(env, CONNECTORS, t.id, {
        channel: "email",
        to,
        subject: "Your parking ends soon",
        text: "Your session in A1 ends at 14:30.",
        purpose: "expiry_reminder",
      });
      expect(queued).toMatchObject({ provider, queued: true });
      const job = await settled(t.key, provider, queued.jobId);
      expect(job).toMatchObject({
        status: "succeeded",
        attempts: 1,
        entity: "message",
        result: { records: 1, detail: { channel: "email", purpose: "expiry_reminder" } },
      });
      const messageId: string = job.result.detail.messageId;
      expect(messageId).toMatch(provider === "brevo" ? /^<\w+@smtp-relay\.mailin\.fr>$/ : /^[\w-]{22}$/);

      const effects = (await simEffects(provider)).filter((e) => e.objectId === messageId);
      expect(effects).toEqual([
        expect.objectContaining({ path: SEND_PATH[provider], status: SEND_STATUS[provider], replays: 0 }),
      ]);
      if (provider === "brevo") expect(effects[0]!.idempotencyKey).toBe(await uuidOf(`${job.id}:email`));
      const rows = (await callRows(t.id)).results;
      expect(rows.map((r) => [r.path, r.status, r.idempotency_key])).toEqual([
        [SEND_PATH[provider], SEND_STATUS[provider], `${job.id}:email`],
      ]);

      // The address went to the provider and nowhere a response shows it.
      expect(job.params.to).toBe(`d***@mail.test`);
      const history = await (await call(`/v1/integrations/${provider}/sync/history`, { key: t.key })).text();
      expect(history).toContain(job.id);
      expect(history).not.toContain(to);
    });

    it("pushes contacts as an upsert: created the first time, updated the second, addresses masked in the job", async () => {
      const t = await emailTenant(provider, `${provider.slice(0, 2)}c`);
      const contacts = [
        { email: driver(), firstName: "Ada", lastName: "Byron" },
        { email: driver(), phone: "+12035550123" },
      ];
      const first = await settled(
        t.key,
        provider,
        (await startSync(t.key, provider, { entity: "contacts", direction: "push", params: { contacts } })).id,
      );
      expect(first).toMatchObject({ status: "succeeded", result: { records: 2 } });
      expect(JSON.stringify(first)).not.toContain(contacts[0]!.email);
      expect(JSON.stringify(first)).not.toContain("+12035550123");
      const again = await settled(
        t.key,
        provider,
        (await startSync(t.key, provider, { entity: "contacts", direction: "push", params: { contacts } })).id,
      );
      expect(again.status).toBe("succeeded");
      if (provider === "brevo") {
        expect(first.result.detail).toEqual({ created: 2, updated: 0 });
        expect(again.result.detail).toEqual({ created: 0, updated: 2 });
        const held = await sim(`/brevo/v3/contacts/${encodeURIComponent(contacts[0]!.email)}`, {
          headers: { "api-key": t.creds.apiKey },
        });
        expect(held.body).toMatchObject({ email: contacts[0]!.email, attributes: { FIRSTNAME: "Ada", LASTNAME: "Byron" } });
      } else {
        expect(first.result.detail.importJobId).toMatch(/^[0-9a-f-]{36}$/);
        const held = await sim("/sendgrid/v3/marketing/contacts/search/emails", {
          body: { emails: [contacts[1]!.email] },
          headers: { authorization: `Bearer ${t.creds.apiKey}` },
        });
        expect(held.body.result[contacts[1]!.email].contact).toMatchObject({ phone_number: "+12035550123" });
      }
    });

    it("fails a job with bad contacts at once, without calling the provider", async () => {
      const t = await emailTenant(provider, `${provider.slice(0, 2)}b`);
      const job = await settled(
        t.key,
        provider,
        (
          await startSync(t.key, provider, {
            entity: "contacts",
            direction: "push",
            params: { contacts: [{ email: "not-an-address" }] },
          })
        ).id,
      );
      expect(job).toMatchObject({
        status: "failed",
        attempts: 1,
        lastError: "invalid params: every contact needs a valid email",
      });
      expect((await callRows(t.id)).results).toEqual([]);
    });

    it("a refused key (401) fails the job at once, not retried, with nothing marked as sending", async () => {
      const t = await syncTenant(`${provider.slice(0, 2)}a`);
      const bad: Record<string, string> =
        provider === "brevo"
          ? { apiKey: "xkeysib-wrong", webhookToken: "tok_x" }
          : { apiKey: "SG.wrong", webhookVerificationKey: "k" };
      await connectTo(t.key, provider, bad, SENDER);
      const job = await jobFor(t.id, provider, "message", "push", emailParams(driver()));
      const { acked, retried } = await consume([{ body: message(t.id, provider, job.id), attempts: 1 }]);
      expect(acked).toEqual([0]);
      expect(retried).toEqual([]);
      expect(await jobRow(t.id, job.id)).toMatchObject({
        status: "failed",
        attempts: 1,
        lastError: `${provider} answered 401 to POST ${SEND_PATH[provider]}`,
        result: null,
      });
      // The connection test says the same, without echoing the key.
      const conn = (await json(await call("/v1/integrations/connections", { key: t.key }))).data[0];
      const tested = await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" });
      const text = await tested.text();
      expect(JSON.parse(text)).toMatchObject({ ok: false, error: { kind: "auth", status: 401 } });
      expect(text).not.toContain(bad.apiKey);
    });

    it("429 with Retry-After delays the job by exactly that long; the email is sent once afterwards", async () => {
      const t = await emailTenant(provider, `${provider.slice(0, 2)}r`);
      await setFaults(provider, { failNext: 1, status: 429, retryAfterSeconds: 9 });
      const job = await jobFor(t.id, provider, "message", "push", emailParams(driver()));
      const body = message(t.id, provider, job.id);
      const before = await lastSeq();
      expect((await consume([{ body, attempts: 1 }])).retried).toEqual([{ index: 0, delaySeconds: 9 }]);
      expect(await jobRow(t.id, job.id)).toMatchObject({
        status: "queued",
        result: null,
        lastError: `${provider} answered 429 to POST ${SEND_PATH[provider]}`,
      });
      expect((await call(`/v1/monitoring/circuit-breakers/${provider}/reset`, { key: t.key, method: "POST" })).status).toBe(200);
      expect((await consume([{ body, attempts: 2 }])).acked).toEqual([0]);
      const done = await jobRow(t.id, job.id);
      expect(done?.status).toBe("succeeded");
      const sends = (await simCalls(provider, before)).filter((x) => x.path === SEND_PATH[provider]);
      expect(sends.map((x) => x.status)).toEqual([429, SEND_STATUS[provider]]);
      expect((await simEffects(provider)).filter((e) => e.objectId === (done!.result as any).detail.messageId).length).toBe(1);
    });

    it("a 5xx storm: every message job completes and each email is accepted exactly once", async () => {
      const t = await syncTenant(`${provider.slice(0, 2)}s`);
      await connectTo(t.key, provider, creds[provider](), { ...SENDER, breaker: { failureThreshold: 1000, cooldownMs: 1000 } });
      const jobs = [];
      for (let i = 0; i < 10; i++) jobs.push(await jobFor(t.id, provider, "message", "push", emailParams(driver())));
      const before = await lastSeq();
      await setFaults(provider, { failRate: 0.5, status: 502 });
      const delays = await drain(
        jobs.map((j) => message(t.id, provider, j.id)),
        { consumerEnv: fast, realTime: false },
      );
      await clearFaults(provider);

      const sends = (await simCalls(provider, before)).filter((x) => x.path === SEND_PATH[provider]);
      const failed = sends.filter((x) => x.status === 502).length;
      expect(failed).toBeGreaterThan(0);
      expect(delays.length).toBe(failed);
      expect(sends.filter((x) => x.status === SEND_STATUS[provider]).length).toBe(jobs.length); // one accepted send per job
      const effects = await simEffects(provider);
      for (const j of jobs) {
        const row = await jobRow(t.id, j.id);
        expect(row).toMatchObject({ status: "succeeded" });
        expect(effects.filter((e) => e.objectId === (row!.result as any).detail.messageId).length).toBe(1);
      }
    });
  });
}

describe("a send whose outcome is unknown", () => {
  it("SendGrid (no idempotency at all): the job fails as uncertain instead of sending again; an operator's retry sends it", async () => {
    const t = await emailTenant("sendgrid", "sgu");
    await setFaults("sendgrid", { failNext: 1, status: 504 }); // a gateway timeout: the email may have gone out
    const job = await jobFor(t.id, "sendgrid", "message", "push", emailParams(driver()));
    const body = message(t.id, "sendgrid", job.id);
    const before = await lastSeq();
    expect((await consume([{ body, attempts: 1 }])).retried.length).toBe(1);
    expect(await jobRow(t.id, job.id)).toMatchObject({ status: "queued", result: { delivery: "sending" } });

    expect((await consume([{ body, attempts: 2 }])).acked).toEqual([0]);
    const uncertain = await jobRow(t.id, job.id);
    expect(uncertain).toMatchObject({ status: "failed", result: { delivery: "uncertain" } });
    expect(uncertain!.lastError).toMatch(/^delivery uncertain/);
    expect((await simCalls("sendgrid", before)).length).toBe(1); // the second attempt never reached SendGrid

    const retried = await json(await call("/v1/integrations/sendgrid/sync/retry", { key: t.key, body: { jobIds: [job.id] } }));
    expect(retried.requeued).toBe(1);
    const done = await settled(t.key, "sendgrid", job.id);
    expect(done.status).toBe("succeeded");
    expect((await simCalls("sendgrid", before)).filter((x) => x.status === 202).length).toBe(1);
  });

  it("Brevo: inside its idempotencyKey window the retry resends with the same key, so Brevo keeps one email", async () => {
    const t = await emailTenant("brevo", "bru");
    await setFaults("brevo", { failNext: 1, status: 504 });
    const job = await jobFor(t.id, "brevo", "message", "push", emailParams(driver()));
    const body = message(t.id, "brevo", job.id);
    const before = await lastSeq();
    await consume([{ body, attempts: 1 }]);
    expect((await consume([{ body, attempts: 2 }])).acked).toEqual([0]);
    expect(await jobRow(t.id, job.id)).toMatchObject({ status: "succeeded" });
    const key = await uuidOf(`${job.id}:email`);
    const sends = await simCalls("brevo", before);
    expect(sends.map((x) => [x.status, x.idempotencyKey])).toEqual([
      [504, key],
      [201, key],
    ]);
    expect((await simEffects("brevo")).filter((e) => e.idempotencyKey === key).length).toBe(1);
  });
});
