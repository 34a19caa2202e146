// Requests to a provider's OAuth server: the token endpoint (authorization code, refresh token and
// JWT bearer grants) and any metadata call a connector needs after authorising. They go through the
// same gate and call log as every API call; the log keeps the path only, never the form, which
// carries codes, refresh tokens, client secrets and assertions.
import { basicAuth } from "../../lib/bytes";
import type { OAuthFetch } from "../contract";
import { ProviderCallError } from "../../lib/vendor-call-error";
import { sendToProvider, type OutboundTarget } from "../call";
import type { TokenAnswer } from "./tokens";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/** The token endpoint said no (RFC 6749 section 5.2): the grant is no longer good, e.g. `invalid_grant`. */
export class OAuthRefused extends Error {
  constructor(
    readonly code: string,
    readonly status: number | null,
  ) {
    super(`the provider refused the grant (${code})`);
  }
}

/** A production OAuth URL, or the same path under settings.oauthBaseUrl (a sandbox, the simulator). */
export function oauthUrl(settings: Readonly<Record<string, unknown>>, productionUrl: string): string {
  const base = typeof settings.oauthBaseUrl === "string" ? settings.oauthBaseUrl.replace(/\/$/, "") : null;
  return base ? base + new URL(productionUrl).pathname : productionUrl;
}

const errorCode = (body: unknown): string | null => {
  const e = body && typeof body === "object" ? (body as Record<string, unknown>).error : undefined;
  return typeof e === "string" && /^[\w.:-]{1,64}$/.test(e) ? e : null;
};

/** Posts one grant to the connector's token endpoint with the client's credentials, as the vendor wants them. */
export async function requestToken(t: OutboundTarget, grant: Record<string, string>): Promise<TokenAnswer> {
  const oauth = t.connector.oauth!;
  const url = oauthUrl(t.settings, oauth.tokenUrl);
  const form = { ...grant };
  let authorize = (_headers: Headers) => {};
  if (oauth.grant === "authorization_code") {
    const id = t.credentials.clientId ?? "";
    const secret = t.credentials.clientSecret ?? "";
    if (oauth.clientAuth === "basic") authorize = (h) => h.set("authorization", basicAuth(id, secret));
    else Object.assign(form, { client_id: id, client_secret: secret });
  }
  try {
    const res = await sendToProvider<TokenAnswer>(
      t,
      { method: "POST", path: new URL(url).pathname, form: true, body: form },
      { url, authorize },
    );
    return typeof res.body === "object" && res.body !== null ? res.body : {};
  } catch (err) {
    // 400 and 401 from a token endpoint are about the grant or the client, not about the moment.
    if (err instanceof ProviderCallError && (err.status === 400 || err.status === 401))
      throw new OAuthRefused(errorCode(err.body) ?? `http_${err.status}`, err.status);
    throw err;
  }
}

/** The fetch a connector's afterAuthorize gets: JSON from its OAuth server, through the gate, logged. */
export function oauthFetch(t: OutboundTarget): OAuthFetch {
  return async <T>(
    url: string,
    init: { method: "GET" | "POST"; form?: Record<string, string>; headers?: Record<string, string> },
  ) => {
    const res = await sendToProvider<T>(
      t,
      { method: init.method, path: new URL(url).pathname, form: init.form !== undefined, body: init.form, headers: init.headers },
      { url, authorize: () => {} },
    );
    return res.body;
  };
}
