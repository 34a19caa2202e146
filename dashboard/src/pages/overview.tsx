import { api, ok } from "../api/client";
import { ago, percent } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, Freshness, Page, type Tone } from "../ui/kit";
import { figures, healthOf, syncStatusOf } from "./integration-health";

const POLL_MS = 5_000;
const HOUR = 3_600_000;

export const BREAKER_TONE: Record<string, Tone> = { closed: "good", half_open: "warn", open: "bad" };
export const breakerLabel = (state: string) => state.replace("_", " ");

async function loadOverview() {
  const since = new Date(Date.now() - HOUR).toISOString();
  const [connections, breakers, webhooks, occupancy, recent] = await Promise.all([
    ok(api.GET("/v1/integrations/connections")),
    ok(api.GET("/v1/monitoring/circuit-breakers")),
    ok(api.GET("/v1/monitoring/webhooks")),
    ok(api.GET("/v1/occupancy")),
    ok(api.GET("/v1/webhook-events", { params: { query: { since, limit: 200 } } })),
  ]);
  const integrations = await Promise.all(
    connections.data.map(async (c) => {
      const [sync, health] = await Promise.all([syncStatusOf(c.provider), healthOf(c.provider)]);
      const breaker = breakers.data.find((b) => b.provider === c.provider);
      return { connection: c, breaker, sync, figures: figures(health, breaker, sync?.lastSucceeded?.finishedAt ?? null) };
    }),
  );
  return { integrations, webhooks, occupancy, receivedLastHour: recent.data.length };
}

export function Overview() {
  const poll = usePoll(loadOverview, POLL_MS);
  const d = poll.data;
  const backlog = d?.integrations.reduce((n, i) => n + (i.sync ? i.sync.counts.queued + i.sync.counts.running : 0), 0) ?? 0;
  const failedJobs = d?.integrations.reduce((n, i) => n + (i.sync ? i.sync.counts.failed + i.sync.counts.dead : 0), 0) ?? 0;

  return (
    <Page title="Overview" actions={<Freshness poll={poll} />}>
      {d && (
        <div class="overview">
          <section aria-labelledby="ov-integrations" class="card wide">
            <h2 id="ov-integrations">Integrations</h2>
            {d.integrations.length === 0 ? (
              <Empty>
                No provider is connected. <Link href="/integrations">Connect one</Link>.
              </Empty>
            ) : (
              <table>
                <Columns names={["Provider", "Connection", "Circuit breaker", "Error rate", "Last success", "Sync backlog"]} />
                <tbody>
                  {d.integrations.map((i) => (
                    <tr data-provider={i.connection.provider}>
                      <th scope="row">
                        <Link href={`/integrations/${i.connection.provider}`}>{i.connection.provider}</Link>
                      </th>
                      <td>
                        <Badge tone={i.connection.status === "connected" ? "good" : "bad"}>{i.connection.status}</Badge>
                      </td>
                      <td data-breaker={i.breaker?.state ?? "none"}>
                        {i.breaker ? (
                          <Badge
                            tone={BREAKER_TONE[i.breaker.state] ?? "neutral"}
                            label={`breaker ${breakerLabel(i.breaker.state)}`}
                          >
                            {breakerLabel(i.breaker.state)}
                          </Badge>
                        ) : (
                          "—"
                        )}
                        {i.breaker?.state === "open" && i.breaker.nextProbeAt && (
                          <small> next probe {ago(i.breaker.nextProbeAt)}</small>
                        )}
                      </td>
                      <td title={i.figures.source === "breaker" ? "From the breaker's call counters" : "From the health route"}>
                        {percent(i.figures.errorRate)}
                      </td>
                      <td>{ago(i.figures.lastSuccessAt)}</td>
                      <td>{i.sync ? i.sync.counts.queued + i.sync.counts.running : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="ov-webhooks" class="card">
            <h2 id="ov-webhooks">Webhooks</h2>
            <dl class="figures">
              <div>
                <dt>Received in the last hour</dt>
                <dd>{d.receivedLastHour >= 200 ? "200+" : d.receivedLastHour}</dd>
              </div>
              <div>
                <dt>Waiting or retrying</dt>
                <dd>{d.webhooks.backlog}</dd>
              </div>
              <div>
                <dt>Oldest unprocessed</dt>
                <dd
                  data-testid="oldest-unprocessed"
                  title={
                    d.webhooks.oldestUnprocessed
                      ? `${d.webhooks.oldestUnprocessed.provider} event ${d.webhooks.oldestUnprocessed.eventId}, ${d.webhooks.oldestUnprocessed.status}`
                      : undefined
                  }
                >
                  {d.webhooks.oldestUnprocessed ? (
                    <Link href={`/webhooks/${d.webhooks.oldestUnprocessed.eventId}`}>
                      {ago(d.webhooks.oldestUnprocessed.receivedAt)}
                    </Link>
                  ) : (
                    "none"
                  )}
                </dd>
              </div>
              <div>
                <dt>Dead letters</dt>
                <dd data-testid="dead-letter-count">
                  <Link href="/dead-letters">{d.webhooks.deadLetters}</Link>
                </dd>
              </div>
              <div>
                <dt>Receipt to effect (p50 / p95)</dt>
                <dd>
                  {d.webhooks.receiptToEffectMs.p50 === null
                    ? "—"
                    : `${d.webhooks.receiptToEffectMs.p50} / ${d.webhooks.receiptToEffectMs.p95} ms`}
                </dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="ov-sync" class="card">
            <h2 id="ov-sync">Sync queue</h2>
            <dl class="figures">
              <div>
                <dt>Queued or running</dt>
                <dd data-testid="sync-backlog">{backlog}</dd>
              </div>
              <div>
                <dt>Failed or dead</dt>
                <dd>{failedJobs}</dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="ov-occupancy" class="card wide">
            <h2 id="ov-occupancy">Live occupancy</h2>
            <table>
              <Columns names={["Zone", "Sessions now", "Capacity", "Occupied"]} />
              <tbody>
                {d.occupancy.data.map((z) => (
                  <tr data-zone={z.zone}>
                    <th scope="row">
                      <Link href={`/zones/${z.zone}`}>{z.zone}</Link> <span class="muted">{z.name}</span>
                    </th>
                    <td>{z.activeSessions}</td>
                    <td>{z.capacity ?? "—"}</td>
                    <td>
                      {z.occupancyRate === null ? (
                        "—"
                      ) : (
                        <meter min={0} max={1} value={Math.min(1, z.occupancyRate)} aria-label={`${z.zone} occupied`} />
                      )}{" "}
                      {percent(z.occupancyRate)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </Page>
  );
}
