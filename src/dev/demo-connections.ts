// Local development only: connects the demo tenant to every provider the provider simulator plays (the
// simulator: `npm start` runs it on port 8788 and passes its URL). The credentials are fakes in each
// vendor's format; the simulator accepts them and nothing else would. Never runs on deploy.
import type { Bindings } from "../env";
import { vendorById } from "../vendors";
import { findByProvider } from "../storage/connections";
import { connect, forgetConnection } from "../vault/connections";
import { db } from "../storage/db";
import { maskCredentials } from "../vault/credentials";
import { DEMO_TENANT } from "./demo-data";

/** Fake credentials the simulator accepts. scripts/start.mjs uses the Stripe key to create demo payments. */
export const DEMO_PROVIDER_CREDENTIALS: Record<string, Record<string, string>> = {
  stripe: { secretKey: "sk_test_curbgateDemo0001", webhookSecret: "whsec_curbgate_demo_0001" },
  twilio: {
    accountSid: "ACc0ffee00c0ffee00c0ffee00c0ffee00",
    authToken: "0123456789abcdef0123456789abcdef",
    fromNumber: "+15005550006",
  },
  ips: {
    apiKey: "ips_test_demo_key_0001",
    secretKey: "ips_test_demo_secret_0001",
    clientId: "demo-parking-001",
    webhookSecret: "ips_demo_webhook_secret_0001",
  },
  square: { accessToken: "EAAAsandboxCurbgateDemoAccessToken0001", signatureKey: "curbgate-demo-square-signature-key" },
  paystack: { secretKey: "sk_test_curbgateDemoPaystack0001" },
  teller: { apiKey: "teller_sk_test_curbgateDemo0001", webhookSecret: "teller_wh_curbgate_demo_0001" },
  aims: { clientId: "test_aims_client", clientSecret: "test_aims_secret_demo_0001" },
  parkeon: { apiKey: "parkeon_test_curbgate_demo_0001", webhookSecret: "parkeon_demo_webhook_secret_0001" },
  gtcs: { apiKey: "gtcs_test_curbgate_demo_0001" },
  duncan: { apiKey: "duncan_test_curbgate_demo_0001" },
  brevo: { apiKey: `xkeysib-${"0123456789abcdef".repeat(4)}-curbgateDemo0001`, webhookToken: "brevo_demo_webhook_token_0001" },
};

// Beyond the simulator's URL and the breaker: what a provider needs to act (an email sender).
const DEMO_SETTINGS: Record<string, Record<string, unknown>> = {
  brevo: { fromEmail: "parking@demo.curbgate.test", fromName: "Demo City Parking" },
};

// A short cool-down, so someone breaking a provider on purpose sees the breaker open and close in seconds.
const DEMO_BREAKER = { failureThreshold: 3, cooldownMs: 15_000 };

/** Connects each provider the demo tenant is not yet connected to (an existing connection is left alone). */
export async function connectDemoProviders(env: Bindings, simulatorUrl: string): Promise<string[]> {
  const base = simulatorUrl.replace(/\/$/, "");
  const connected: string[] = [];
  for (const [id, credentials] of Object.entries(DEMO_PROVIDER_CREDENTIALS)) {
    const provider = vendorById(id)!;
    if (await findByProvider(db(env.DB), DEMO_TENANT.id, id)) continue;
    const masked = maskCredentials(provider.credentialFields, credentials);
    await connect(env, {
      tenantId: DEMO_TENANT.id,
      provider: id,
      credentials,
      masked,
      settings: { baseUrl: `${base}/${id}`, breaker: DEMO_BREAKER, ...DEMO_SETTINGS[id] },
    });
    forgetConnection(DEMO_TENANT.id, id);
    connected.push(id);
  }
  return connected;
}
