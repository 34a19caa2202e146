// QuickBooks Online, signed with `intuit-signature`. Intuit sends two body formats:
//  - legacy: { eventNotifications: [{ realmId, dataChangeEvent: { entities: [{ name, id, operation, lastUpdated }] } }] }
//  - CloudEvents (Intuit's migration): [{ specversion, id, type: "qbo.invoice.created.v1", time, intuitaccountid, … }]
// A delivery batches many changes and has no id of its own, so the dedupe key is the SHA-256 of the
// body, or the CloudEvent's id when the batch holds exactly one. The type is the one type every
// change shares ("Invoice.Create" in the legacy format), else "batch". Accounting events are stored
// `unhandled` until the accounting sync exists.
import { verifyQuickBooks } from "./signature";
import { bodyDigest, instant, isRecord, jsonBody, secretsOf, str } from "../shared/delivery";
import type { NormalizedEvent } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

const only = (types: string[]): string => (types.length > 0 && types.every((t) => t === types[0]) ? types[0]! : "batch");

async function parseCloudEvents(raw: Uint8Array, events: unknown[]): Promise<NormalizedEvent | null> {
  if (events.length === 0 || !events.every((e) => isRecord(e) && str(e.specversion) && str(e.id) && str(e.type))) return null;
  const list = events as Record<string, unknown>[];
  const single = list.length === 1 ? list[0]! : null;
  return {
    externalId: single ? str(single.id)! : await bodyDigest(raw),
    type: only(list.map((e) => str(e.type)!)),
    occurredAtMs: single ? instant(single.time) : null,
    data: { events: list },
  };
}

async function parseLegacy(raw: Uint8Array, body: Record<string, unknown>): Promise<NormalizedEvent | null> {
  const notifications = body.eventNotifications;
  if (!Array.isArray(notifications) || notifications.length === 0 || !notifications.every(isRecord)) return null;
  const types: string[] = [];
  for (const n of notifications as Record<string, unknown>[]) {
    const entities = isRecord(n.dataChangeEvent) && Array.isArray(n.dataChangeEvent.entities) ? n.dataChangeEvent.entities : [];
    for (const e of entities) if (isRecord(e)) types.push(`${str(e.name) ?? "?"}.${str(e.operation) ?? "?"}`);
  }
  return { externalId: await bodyDigest(raw), type: only(types), occurredAtMs: null, data: body };
}

export const quickbooks: Vendor = {
  id: "quickbooks",
  name: "QuickBooks Online",
  category: "accounting",
  auth: "oauth2",
  credentialFields: [
    { name: "clientId", label: "OAuth client id", secret: false, required: true },
    { name: "clientSecret", label: "OAuth client secret", secret: true, required: true },
    { name: "realmId", label: "Company (realm) id", secret: false, required: false },
    { name: "verifierToken", label: "Webhooks verifier token", secret: true, required: true },
    { name: "previousVerifierToken", label: "Previous verifier token, during rotation", secret: true, required: false },
  ],
  webhookSetup: "Intuit Developer \u2192 your app \u2192 Webhooks.",
  webhook: {
    verify: (req, credentials) => verifyQuickBooks(req, secretsOf(credentials, "verifierToken", "previousVerifierToken")),
    async parse(raw) {
      const body = jsonBody(raw);
      if (Array.isArray(body)) return parseCloudEvents(raw, body);
      return isRecord(body) ? parseLegacy(raw, body) : null;
    },
    sensitiveHeaders: ["intuit-signature"],
  },
  effects: {},
  connector,
};
