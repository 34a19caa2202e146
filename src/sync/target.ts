// What an outbound call is made for: the tenant, its connection's credentials and settings, and the
// vendor's connector. Its own module so src/sync/call.ts and the OAuth token refresh it calls can both
// name it without importing each other.
import type { Bindings } from "../env";
import type { Connector } from "./contract";

export interface OutboundTarget {
  env: Bindings;
  tenantId: string;
  connector: Connector;
  /** Replaced by a refreshed set when an OAuth token is renewed during the job. */
  credentials: Readonly<Record<string, string>>;
  settings: Readonly<Record<string, unknown>>;
  jobId?: string;
  /** The connection the credentials belong to; OAuth connectors need it to refresh them. */
  connectionId?: string;
}
