import { api, ok } from "../api/client";
import { session } from "./session";

/** Trades the current token for a fresh one (POST /v1/auth/refresh), keeping the user. */
export function startTokenRefresh() {
  session.useRefresher(async (s) => {
    const fresh = await ok(api.POST("/v1/auth/refresh", { headers: { authorization: `Bearer ${s.token}` } }));
    return { token: fresh.token, expiresAt: fresh.expiresAt, sessionExpiresAt: fresh.sessionExpiresAt, user: fresh.user };
  });
}
