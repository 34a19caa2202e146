// The worker's bindings and the per-request context every route sees.
import type { ProviderGate } from "../durable/provider-gate";
import type { RateLimiter } from "../durable/rate-limiter";
import type { TokenRefresher } from "../durable/token-refresher";
import type { WebhookInbox } from "../durable/webhook-inbox";
import type { ZoneState } from "../durable/zone-state";
import type { DeadLetterMessage, WebhookMessage } from "./webhooks/message";
import type { QueueProbe } from "./lib/queues";
import type { SyncMessage } from "./sync/message";
import type { Principal } from "./auth/principal";

export interface Bindings {
  DB: D1Database;
  ZONE_STATE: DurableObjectNamespace<ZoneState>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  WEBHOOK_INBOX: DurableObjectNamespace<WebhookInbox>;
  WEBHOOK_QUEUE: Queue<WebhookMessage | QueueProbe>;
  WEBHOOK_DLQ: Queue<DeadLetterMessage | QueueProbe>;
  PROVIDER_GATE: DurableObjectNamespace<ProviderGate>;
  SYNC_QUEUE: Queue<SyncMessage | QueueProbe>;
  TOKEN_REFRESHER: DurableObjectNamespace<TokenRefresher>;
  /** Development and tests only: the provider simulator, reached for base URLs on SIMULATOR_HOST. */
  SIMULATOR?: Fetcher;
  CACHE: KVNamespace;
  BLOBS: R2Bucket;
  ASSETS?: Fetcher;
  ENVIRONMENT: string; // "production" | "development" | "test"
  DEFAULT_TENANT: string;
  JWT_SECRET?: string;
  VAULT_MASTER_KEYS?: string; // "1:<base64 32 bytes>,2:<…>"; the highest version wraps new data keys
  DEMO_SEED?: string; // "true" only in local development (.dev.vars)
  LOG_LEVEL?: string; // "debug" | "info" | "warn" | "error"
  WEBHOOK_MAX_ATTEMPTS?: string; // processing attempts before an event is dead-lettered (default 8)
  WEBHOOK_RETRY_BASE_SECONDS?: string; // first retry delay; doubles per attempt, with jitter (default 10)
  WEBHOOK_STRANDED_AFTER_SECONDS?: string; // an accepted event idle this long is queued again by the cron sweep (default 600)
  SYNC_MAX_ATTEMPTS?: string; // sync job attempts before it is dead-lettered (default 6)
  SYNC_RETRY_BASE_SECONDS?: string; // first sync retry delay (default 15)
  DASHBOARD_ORIGINS?: string; // origins allowed to call the API from a browser (CORS), comma separated; e.g. the Pages URL
}

export interface Variables {
  requestId: string;
  principal: Principal;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
    interface GlobalProps {
      mainModule: typeof import(".");
      durableNamespaces: "ZoneState" | "RateLimiter" | "WebhookInbox" | "ProviderGate" | "TokenRefresher";
    }
  }
}
