import { api, ok } from "../api/client";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Freshness, Page } from "../ui/kit";
import { BREAKER_TONE, breakerLabel } from "./overview";

async function load() {
  const [providers, connections, breakers] = await Promise.all([
    ok(api.GET("/v1/integrations/providers")),
    ok(api.GET("/v1/integrations/connections")),
    ok(api.GET("/v1/monitoring/circuit-breakers")),
  ]);
  return providers.data.map((p) => ({
    provider: p,
    connection: connections.data.find((c) => c.provider === p.id),
    breaker: breakers.data.find((b) => b.provider === p.id),
  }));
}

export function Integrations() {
  const poll = usePoll(load, 15_000);
  return (
    <Page title="Integrations" actions={<Freshness poll={poll} />}>
      {poll.data && (
        <table>
          <caption class="visually-hidden">Providers Curbgate connects to</caption>
          <Columns names={["Provider", "Category", "Sign-in", "Connection", "Circuit breaker"]} />
          <tbody>
            {poll.data.map(({ provider, connection, breaker }) => (
              <tr data-provider={provider.id}>
                <th scope="row">
                  <Link href={`/integrations/${provider.id}`}>{provider.name}</Link>
                </th>
                <td>{provider.category}</td>
                <td>{provider.auth === "oauth2" ? "OAuth" : "API key"}</td>
                <td>
                  {connection ? (
                    <Badge tone={connection.status === "connected" ? "good" : "bad"}>{connection.status}</Badge>
                  ) : (
                    <span class="muted">not connected</span>
                  )}
                </td>
                <td>
                  {breaker ? <Badge tone={BREAKER_TONE[breaker.state] ?? "neutral"}>{breakerLabel(breaker.state)}</Badge> : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
