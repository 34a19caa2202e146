// `npm start`: Curbgate on local embedded state (D1, KV, R2, Durable Objects via wrangler dev),
// migrated and seeded with the demo tenant, plus the provider simulator (simulator/, a second
// `wrangler dev` on port 8788) that plays the vendors for the demo tenant's connections,
// and the staff dashboard built into public/admin/ (served at /admin/).
// Demo data and the simulator exist only here, never on deploy.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrateLocal, root, runCrons, seedDemo, startStack } from "./dev-stack.mjs";

const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const simulatorPort = Number(process.env.SIMULATOR_PORT ?? 8788);
const simulator = `http://127.0.0.1:${simulatorPort}`;
// The demo tenant's fake Stripe key (src/dev/demo-connections.ts), used to create a few payments to pull.
const DEMO_STRIPE_KEY = "sk_test_curbgateDemo0001";
// Its webhook signing secrets (same file): the simulator signs what it sends back to Curbgate with them.
const DEMO_WEBHOOKS = {
  stripe: {
    account: DEMO_STRIPE_KEY,
    secret: "whsec_curbgate_demo_0001",
    events: ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"],
  },
  ips: { account: "ips_test_demo_key_0001", secret: "ips_demo_webhook_secret_0001", events: ["*"] },
};

function ensureDevVars() {
  const file = join(root, ".dev.vars");
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const wanted = {
    ENVIRONMENT: "development",
    DEMO_SEED: "true",
    LOG_LEVEL: "info",
    JWT_SECRET: randomBytes(32).toString("hex"), // local only; production uses `wrangler secret put JWT_SECRET`
    VAULT_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`, // local only; production: `wrangler secret put VAULT_MASTER_KEYS`
  };
  const missing = Object.entries(wanted).filter(([k]) => !new RegExp(`^${k}=`, "m").test(existing));
  if (missing.length) writeFileSync(file, existing + missing.map(([k, v]) => `${k}=${v}\n`).join(""));
}

/** The simulator sends the demo tenant's Stripe and IPS events to Curbgate's webhook route, signed with the demo secrets. */
async function demoWebhooks(tenant) {
  for (const [provider, hook] of Object.entries(DEMO_WEBHOOKS)) {
    const url = `http://127.0.0.1:${port}/v1/webhooks/${tenant}/${provider}`;
    const res = await fetch(`${simulator}/_control/webhooks/${provider}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...hook, url }),
    });
    if (!res.ok) throw new Error(`webhook registration for ${provider} failed: ${res.status} ${await res.text()}`);
  }
}

/** A few paid Stripe payment intents in the simulator, so a first payments pull has something to read. */
async function demoPayments() {
  const { data } = await (
    await fetch(`${simulator}/stripe/v1/payment_intents?limit=1`, { headers: { authorization: `Bearer ${DEMO_STRIPE_KEY}` } })
  ).json();
  if (data.length) return;
  for (const amount of [200, 475, 950]) {
    const body = new URLSearchParams({
      amount: String(amount),
      currency: "usd",
      confirm: "true",
      payment_method: "pm_card_visa",
      "metadata[zone]": "A1",
    });
    await fetch(`${simulator}/stripe/v1/payment_intents`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEMO_STRIPE_KEY}`, "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }
}

spawnSync(process.execPath, [join(root, "scripts", "build-assets.mjs")], { stdio: "inherit" });
if (spawnSync(process.execPath, [join(root, "scripts", "build-dashboard.mjs")], { stdio: "inherit" }).status !== 0)
  process.exit(1);
ensureDevVars();
migrateLocal();

let stack;
try {
  stack = await startStack({ port, simulatorPort, extraArgs: process.argv.slice(2) });
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
const stopCrons = runCrons(base);
const stop = () => {
  stopCrons();
  stack.stop();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
stack.exited.then((code) => {
  stack.sim?.kill("SIGINT");
  process.exit(code ?? 0);
});

try {
  const seeded = await seedDemo(base, simulator);
  await demoWebhooks(seeded.tenant);
  await demoPayments();
  console.log(`
  Curbgate is running at ${base}   (API reference: ${base}/docs)
  Staff dashboard at ${base}/admin/

  Demo tenant "${seeded.tenant}" (America/New_York), zones ${seeded.zones.join(", ")}
    officer key   cg_demo_officer   plate checks, citations
    driver app    cg_demo_app       parking sessions
    staff sign-in admin@demo.test / demo-admin-password   (viewer@demo.test / demo-viewer-password)
    ${seeded.sessionsAdded} live sessions added; permits RES1234 (A1, A2), BIZ777 (B1, B2), VIS4242 (A1)
    meter gateway cg_demo_meters    Parkeon meters ${seeded.meters.join(", ")}: A1-002 low battery, B1-002 never reported
    meter alerts  curl -s ${base}/v1/monitoring/meters -H 'authorization: Bearer cg_demo_meters'
    enforcement   citations DEMO-2026-0001…0008, one in each state with a photo; IPS violations; officer_123 on shift
    citations     curl -s '${base}/v1/citations?q=DEMO' -H 'authorization: Bearer cg_demo_officer'
    money         ${seeded.payments ?? 0} payments over the last week, split 95/5; as admin: /v1/payments, /v1/reports/reconciliation?date=<yesterday>

  First plate check:
    curl -s ${base}/v1/verify -H 'authorization: Bearer cg_demo_officer' \\
      -H 'content-type: application/json' -d '{"plate":"ABC123","state":"CT","zone":"A1"}'

  Provider simulator at ${simulator} plays the vendors for the demo tenant (${seeded.providersConnected.join(", ") || "already connected"})
    token    TOKEN=$(curl -s ${base}/v1/auth/login -H 'content-type: application/json' \\
               -d '{"email":"admin@demo.test","password":"demo-admin-password"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
    sync     curl -s ${base}/v1/integrations/stripe/sync -H "authorization: Bearer $TOKEN" \\
               -H 'content-type: application/json' -d '{"entity":"payments","direction":"pull"}'
    break it curl -s -X PUT ${simulator}/_control/faults/stripe -d '{"status":503,"retryAfterSeconds":30}'
    watch    curl -s ${base}/v1/monitoring/circuit-breakers -H "authorization: Bearer $TOKEN"
    mend it  curl -s -X DELETE ${simulator}/_control/faults/stripe

  Webhooks come back: a payment or refund at the simulated Stripe is sent to ${base}/v1/webhooks/${seeded.tenant}/stripe
    deliveries curl -s '${simulator}/_control/deliveries?provider=stripe'
    events     curl -s ${base}/v1/webhook-events -H "authorization: Bearer $TOKEN"
`);
} catch (err) {
  console.error(String(err));
  stop();
}
