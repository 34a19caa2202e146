// One real, cheap, authenticated call to a connected provider: the test route and reconnect use it.
import { z } from "@hono/zod-openapi";
import { newId } from "../lib/ids";
import type { Connector } from "./contract";
import type { Bindings } from "../env";
import { Failure } from "../lib/failure";
import type { ConnectionRow } from "../storage/connections";
import { connectionFor } from "../vault/connections";
import { ProviderCallError } from "../lib/vendor-call-error";
import { connectorContext } from "./call";

export const TestOutcomeSchema = z.object({
  ok: z.boolean(),
  durationMs: z.number().int(),
  detail: z
    .record(z.string(), z.unknown())
    .nullable()
    .openapi({ description: "What the provider said about the account (never a credential)" }),
  error: z.object({ kind: z.string(), status: z.number().int().nullable(), message: z.string() }).nullable(),
});
export type TestOutcome = z.infer<typeof TestOutcomeSchema>;

export async function testConnectionOf(
  env: Bindings,
  tenantId: string,
  row: ConnectionRow,
  connector: Connector,
): Promise<TestOutcome> {
  const connection = await connectionFor(env, tenantId, row.provider);
  if (!connection) throw new Failure("not_found", "Connection not found");
  // The call log names it "test_…", so health figures can tell connection tests from job calls.
  const target = {
    env,
    tenantId,
    connector,
    credentials: connection.credentials,
    settings: connection.settings,
    connectionId: connection.id,
  };
  const ctx = connectorContext(target, newId("test"));
  const started = Date.now();
  try {
    return { ok: true, detail: await connector.test(ctx), error: null, durationMs: Date.now() - started };
  } catch (err) {
    const e =
      err instanceof ProviderCallError ? err : new ProviderCallError("server", err instanceof Error ? err.message : String(err));
    return {
      ok: false,
      detail: null,
      error: { kind: e.kind, status: e.status, message: e.message },
      durationMs: Date.now() - started,
    };
  }
}
