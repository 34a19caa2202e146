// TokenRefresher: one Durable Object per tenant+connection that renews the connection's OAuth access
// token, one renewal at a time. Callers say which token they hold (a fingerprint, never the token);
// while a renewal is in flight every caller waits for that same renewal; a caller that held a token
// already replaced gets the current one without a second renewal. The tokens live only in the vault
// (D1, sealed); this object keeps counters, nothing secret.
import { DurableObject } from "cloudflare:workers";
import { connectorOf, vendorById } from "../src/vendors";
import type { Connector } from "../src/sync/contract";
import type { Bindings } from "../src/env";
import { OAuthRefused, JWT_BEARER_GRANT, oauthUrl, requestToken } from "../src/sync/oauth/token-endpoint";
import { expiresSoon, maskedConnection, tokenFingerprint, withTokens } from "../src/sync/oauth/tokens";
import { recordAudit } from "../src/storage/audit";
import { findConnection, setConnectionStatus, type ConnectionRow } from "../src/storage/connections";
import { updateCredentials } from "../src/vault/connections";
import { db } from "../src/storage/db";
import type { CallFailureKind } from "../src/lib/vendor-call-error";
import { ProviderCallError } from "../src/lib/vendor-call-error";
import { openCredentials } from "../src/vault/credentials";

export interface FreshRequest {
  tenantId: string;
  connectionId: string;
  /** Fingerprint of the access token the caller holds (null: none). */
  seen: string | null;
  /** The provider refused that token (401 "expired"): renew even if our clock says it is good. */
  rejected: boolean;
}

export type FreshOutcome =
  | { ok: true; credentials: Record<string, string>; refreshed: boolean }
  | { ok: false; kind: CallFailureKind; message: string; retryAfterMs: number | null; needsReconnect: boolean };

export interface RefresherStats {
  refreshes: number;
  failures: number;
  lastRefreshAt: number | null;
  lastError: string | null;
}

const refused = (
  kind: CallFailureKind,
  message: string,
  needsReconnect = false,
  retryAfterMs: number | null = null,
): FreshOutcome => ({ ok: false, kind, message, retryAfterMs, needsReconnect });

export class TokenRefresher extends DurableObject<Bindings> {
  private inflight: Promise<FreshOutcome> | null = null;

  /** Credentials whose access token is good now; renews it first if the caller's token is stale. */
  freshCredentials(req: FreshRequest): Promise<FreshOutcome> {
    // Check and set with no await between: every caller that arrives during a renewal shares it.
    if (!this.inflight) this.inflight = this.decide(req).finally(() => (this.inflight = null));
    return this.inflight;
  }

  async stats(): Promise<RefresherStats> {
    return (
      (await this.ctx.storage.get<RefresherStats>("stats")) ?? { refreshes: 0, failures: 0, lastRefreshAt: null, lastError: null }
    );
  }

  private async decide(req: FreshRequest): Promise<FreshOutcome> {
    const row = await findConnection(db(this.env.DB), req.tenantId, req.connectionId);
    const connector = row ? connectorOf(row.provider) : undefined;
    if (!row || !connector?.oauth) return refused("auth", "the connection was removed");
    if (row.status === "needs_reconnect")
      return refused(
        "auth",
        `${row.provider}: the connection needs reconnecting (POST /v1/integrations/connections/${row.id}/reconnect)`,
        true,
      );
    const credentials = await openCredentials(this.env, row);
    const current = await tokenFingerprint(credentials.accessToken);
    const stale = current === null || expiresSoon(credentials, Date.now()) || (req.rejected && current === req.seen);
    if (!stale) return { ok: true, credentials, refreshed: false };
    return this.renew(row, connector, credentials);
  }

  private async renew(row: ConnectionRow, connector: Connector, credentials: Record<string, string>): Promise<FreshOutcome> {
    const oauth = connector.oauth!;
    const name = row.provider;
    const target = {
      env: this.env,
      tenantId: row.tenantId,
      connector,
      credentials,
      settings: row.settings,
      connectionId: row.id,
    };
    let grant: Record<string, string>;
    if (oauth.grant === "jwt_bearer") {
      try {
        grant = {
          grant_type: JWT_BEARER_GRANT,
          assertion: await oauth.assertion!(credentials, new URL(oauthUrl(row.settings, oauth.tokenUrl)).host, Date.now()),
        };
      } catch {
        return this.needsReconnect(row, "the private key does not load");
      }
    } else if (credentials.refreshToken) {
      grant = { grant_type: "refresh_token", refresh_token: credentials.refreshToken };
    } else if (credentials.accessToken) {
      // Tokens without a refresh token (Mailchimp's never expire): a refused one cannot be renewed.
      return this.needsReconnect(row, "the access token was refused and there is no refresh token");
    } else {
      return refused("auth", `${name} is not authorised yet: POST /v1/integrations/oauth/${name}/start`);
    }

    let next: Record<string, string> | null;
    try {
      next = withTokens(credentials, await requestToken(target, grant), Date.now());
    } catch (err) {
      if (err instanceof OAuthRefused) return this.needsReconnect(row, err.code);
      await this.count(false, err instanceof Error ? err.message : String(err));
      if (err instanceof ProviderCallError)
        return refused(err.kind, `${name}: the token could not be renewed now (${err.kind})`, false, err.retryAfterMs);
      throw err;
    }
    if (!next) return refused("server", `${name} answered the token renewal without an access token`);
    // Only over the credentials it was derived from: a reconnect that stored new tokens meanwhile wins.
    const stored = await updateCredentials(
      this.env,
      row,
      next,
      { masked: maskedConnection(vendorById(name)?.credentialFields ?? [], next), status: "connected" },
      row.credentialsCiphertext,
    );
    await this.count(true, null);
    if (!stored) {
      const now = await findConnection(db(this.env.DB), row.tenantId, row.id);
      return now
        ? { ok: true, credentials: await openCredentials(this.env, now), refreshed: true }
        : refused("auth", "the connection was removed");
    }
    return { ok: true, credentials: next, refreshed: true };
  }

  private async needsReconnect(row: ConnectionRow, reason: string): Promise<FreshOutcome> {
    await setConnectionStatus(db(this.env.DB), row, "needs_reconnect");
    await this.count(false, reason);
    await recordAudit(this.env, {
      tenantId: row.tenantId,
      actor: "system:token-refresher",
      action: "integration.needs_reconnect",
      target: row.id,
      detail: { provider: row.provider, reason },
    });
    return refused(
      "auth",
      `${row.provider} refused to renew the access token (${reason}): the connection needs reconnecting (POST /v1/integrations/connections/${row.id}/reconnect)`,
      true,
    );
  }

  private async count(ok: boolean, error: string | null) {
    const s = await this.stats();
    if (ok) {
      s.refreshes++;
      s.lastRefreshAt = Date.now();
    } else {
      s.failures++;
      s.lastError = error?.slice(0, 200) ?? null;
    }
    await this.ctx.storage.put("stats", s);
  }
}
