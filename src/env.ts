// The worker's bindings and the per-request context every route sees.
import type { RateLimiter } from "../durable/rate-limiter";
import type { ZoneState } from "../durable/zone-state";
import type { Principal } from "./auth/principal";

export interface Bindings {
  DB: D1Database;
  ZONE_STATE: DurableObjectNamespace<ZoneState>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  CACHE: KVNamespace;
  BLOBS: R2Bucket;
  ASSETS?: Fetcher;
  ENVIRONMENT: string; // "production" | "development" | "test"
  DEFAULT_TENANT: string;
  JWT_SECRET?: string;
  DEMO_SEED?: string; // "true" only in local development (.dev.vars)
  LOG_LEVEL?: string; // "debug" | "info" | "warn" | "error"
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
      mainModule: typeof import("./index");
      durableNamespaces: "ZoneState" | "RateLimiter";
    }
  }
}
