// GET /v1/integrations/providers says, per provider, which sync entities and directions POST
// /v1/integrations/{provider}/sync accepts, so the dashboard can offer exactly those.
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { CONNECTORS } from "../../../../src/vendors";
import {
  call,
  expectProblem,
  INTEGRATIONS_READER,
  json,
  NO_SCOPES,
  OTHER_INTEGRATIONS_ADMIN,
  seedIntegrationKeys,
} from "../../fixtures";

type Provider = { id: string; sync: { entity: string; directions: string[]; description: string }[] | null };

beforeAll(() => seedIntegrationKeys(env));

describe("providers' sync entities", () => {
  it("lists each connector's entities and directions (null for a provider without a connector)", async () => {
    const { data } = await json<{ data: Provider[] }>(await call("/v1/integrations/providers", { key: INTEGRATIONS_READER }));
    const stripe = data.find((p) => p.id === "stripe")!;
    expect(stripe.sync).toEqual([
      { entity: "payments", directions: ["pull", "push"], description: expect.stringContaining("Pull") },
    ]);
    for (const p of data) {
      const connector = CONNECTORS[p.id];
      if (!connector) expect(p.sync, p.id).toBeNull();
      else
        expect(
          p.sync!.map((s) => s.entity),
          p.id,
        ).toEqual(Object.keys(connector.entities));
    }
    expect(data.filter((p) => p.sync !== null).length).toBe(Object.keys(CONNECTORS).length); // every connector is listed once
  });

  it("each listed entity and direction is one the sync route accepts (it answers 409 for want of a connection, not 422)", async () => {
    const { data } = await json<{ data: Provider[] }>(await call("/v1/integrations/providers", { key: INTEGRATIONS_READER }));
    for (const p of data.filter((x) => x.sync))
      for (const s of p.sync!)
        for (const direction of s.directions) {
          // "other" has no connections: a valid entity and direction gets past validation to the connection check.
          const res = await call(`/v1/integrations/${p.id}/sync`, {
            key: OTHER_INTEGRATIONS_ADMIN,
            body: { entity: s.entity, direction },
          });
          expect(res.status, `${p.id} ${s.entity} ${direction}`).toBe(409);
        }
  });

  it("needs integrations:read", async () => {
    await expectProblem(await call("/v1/integrations/providers", { key: NO_SCOPES }), 403);
    await expectProblem(await call("/v1/integrations/providers", { key: null }), 401);
  });
});
