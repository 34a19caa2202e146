import { useState } from "preact/hooks";
import { api, messageOf, ok } from "../api/client";
import { ago, percent, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import {
  Badge,
  Columns,
  KeyValues,
  Empty,
  ErrorNotice,
  Freshness,
  NotAvailable,
  Notice,
  Page,
  SelectField,
  WriteButton,
} from "../ui/kit";
import { ConnectForm, OAuthButton } from "./connect-form";
import { FieldMappings } from "./field-mappings";
import { figures, healthOf, syncStatusOf } from "./integration-health";
import { BREAKER_TONE, breakerLabel } from "./overview";
import { EVENT_TONE } from "./webhook-events";

async function load(id: string) {
  const [providers, connections] = await Promise.all([
    ok(api.GET("/v1/integrations/providers")),
    ok(api.GET("/v1/integrations/connections")),
  ]);
  const provider = providers.data.find((p) => p.id === id);
  const connection = connections.data.find((c) => c.provider === id);
  const [status, health, history] = await Promise.all([
    provider?.sync ? syncStatusOf(id) : null,
    connection ? healthOf(id) : null,
    provider?.sync
      ? ok(api.GET("/v1/integrations/{provider}/sync/history", { params: { path: { provider: id }, query: { limit: 20 } } }))
      : null,
  ]);
  return { provider, connection, status, health, history };
}

export function Integration({ provider: id }: { provider: string }) {
  const poll = usePoll(() => load(id), 5_000, [id]);
  const [note, setNote] = useState<{ tone: "success" | "error" | "info"; text: string } | null>(null);
  const [sync, setSync] = useState({ entity: "", direction: "" });
  const d = poll.data;

  const act = async (text: string, fn: () => Promise<unknown>) => {
    setNote(null);
    try {
      await fn();
      setNote({ tone: "success", text });
      await poll.reload();
    } catch (err) {
      setNote({ tone: "error", text: messageOf(err) });
    }
  };

  if (!d) return <Page title={id}>{poll.error ? <ErrorNotice error={poll.error} /> : <p>Loading…</p>}</Page>;
  if (!d.provider)
    return (
      <Page title={id}>
        <Notice tone="error">No provider "{id}".</Notice>
      </Page>
    );
  const { provider, connection, status, health, history } = d;
  const breaker = status?.breaker ?? null;
  const fig = figures(health, breaker ?? undefined, status?.lastSucceeded?.finishedAt ?? null);
  const entity = provider.sync?.find((s) => s.entity === sync.entity) ?? provider.sync?.[0];
  const direction = entity?.directions.includes(sync.direction as "push" | "pull") ? sync.direction : entity?.directions[0];

  const test = async () => {
    setNote(null);
    try {
      const r = await ok(api.POST("/v1/integrations/connections/{id}/test", { params: { path: { id: connection!.id } } }));
      setNote(
        r.ok
          ? { tone: "success", text: `${provider.name} answered in ${r.durationMs} ms.` }
          : { tone: "error", text: `Test failed (${r.error?.kind}): ${r.error?.message}` },
      );
      await poll.reload();
    } catch (err) {
      setNote({ tone: "error", text: messageOf(err) });
    }
  };

  return (
    <Page
      title={provider.name}
      actions={
        <>
          <Freshness poll={poll} />
          <Link href="/integrations">All integrations</Link>
        </>
      }
    >
      {note && <Notice tone={note.tone}>{note.text}</Notice>}

      <section class="card" aria-labelledby="int-connection">
        <h2 id="int-connection">Connection</h2>
        {connection ? (
          <>
            <p>
              <Badge tone={connection.status === "connected" ? "good" : "bad"}>{connection.status}</Badge> since{" "}
              {when(connection.createdAt)}; credentials last changed {ago(connection.updatedAt)}.
            </p>
            <KeyValues
              caption="Stored credentials, masked"
              rows={Object.entries(connection.credentials).map(([k, v]) => [
                provider.credentialFields.find((f) => f.name === k)?.label ?? k,
                v,
              ])}
            />
            <div class="form-actions">
              <WriteButton
                scope="integrations:write"
                disabled={!provider.sync}
                title={provider.sync ? undefined : "No outbound connector to test"}
                onClick={() => void test()}
              >
                Test connection
              </WriteButton>
              <WriteButton
                scope="integrations:write"
                class="danger"
                onClick={() =>
                  confirm(`Disconnect ${provider.name}? Its stored credentials are deleted.`) &&
                  void act(`${provider.name} disconnected.`, () =>
                    ok(api.DELETE("/v1/integrations/connections/{id}", { params: { path: { id: connection.id } } })),
                  )
                }
              >
                Disconnect
              </WriteButton>
            </div>
            {provider.auth === "api_key" && (
              <details>
                <summary>Replace the credentials</summary>
                <ConnectForm
                  provider={provider}
                  replacing
                  onConnected={() => void act("Credentials replaced.", async () => undefined)}
                />
              </details>
            )}
          </>
        ) : provider.auth === "oauth2" ? (
          <OAuthButton provider={provider} />
        ) : (
          <ConnectForm
            provider={provider}
            replacing={false}
            onConnected={() => void act(`${provider.name} connected.`, async () => undefined)}
          />
        )}
        <p class="hint">
          Webhook URL to give {provider.name}: <code>{provider.webhookUrl}</code>
          {provider.webhookSetup ? ` — ${provider.webhookSetup}` : ""}
        </p>
      </section>

      {connection && (
        <section class="card" aria-labelledby="int-health">
          <h2 id="int-health">Health and circuit breaker</h2>
          {fig.source === "breaker" && <NotAvailable what="The health route" path={`GET /v1/integrations/${id}/health`} />}
          <dl class="figures">
            <div>
              <dt>Circuit breaker</dt>
              <dd data-breaker={breaker?.state ?? "none"}>
                {breaker ? <Badge tone={BREAKER_TONE[breaker.state] ?? "neutral"}>{breakerLabel(breaker.state)}</Badge> : "—"}
              </dd>
            </div>
            <div>
              <dt>Error rate{fig.source === "breaker" ? " (breaker counters)" : ""}</dt>
              <dd>{percent(fig.errorRate)}</dd>
            </div>
            <div>
              <dt>Last success</dt>
              <dd>{ago(fig.lastSuccessAt)}</dd>
            </div>
            <div>
              <dt>p95 latency</dt>
              <dd>{fig.p95Ms === null ? "—" : `${fig.p95Ms} ms`}</dd>
            </div>
            {breaker && (
              <div>
                <dt>Failures in a row</dt>
                <dd>
                  {breaker.consecutiveFailures} of {breaker.settings.failureThreshold}
                </dd>
              </div>
            )}
          </dl>
          {breaker?.state !== "closed" && breaker?.nextProbeAt && <p>Next probe {ago(breaker.nextProbeAt)}.</p>}
          {breaker && (
            <WriteButton
              scope="integrations:write"
              onClick={() =>
                void act("Breaker closed.", () =>
                  ok(api.POST("/v1/monitoring/circuit-breakers/{provider}/reset", { params: { path: { provider: id } } })),
                )
              }
            >
              Reset breaker
            </WriteButton>
          )}
        </section>
      )}

      {provider.sync && connection && entity && (
        <section class="card" aria-labelledby="int-sync">
          <h2 id="int-sync">Sync</h2>
          {status && (
            <p>
              {status.counts.queued} queued, {status.counts.running} running, {status.counts.succeeded} succeeded,{" "}
              {status.counts.failed} failed, {status.counts.dead} dead.
            </p>
          )}
          <form
            class="row inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act(`Sync of ${entity.entity} queued.`, () =>
                ok(
                  api.POST("/v1/integrations/{provider}/sync", {
                    params: { path: { provider: id } },
                    body: { entity: entity.entity, direction: direction as "push" | "pull", priority: "normal" },
                  }),
                ),
              );
            }}
          >
            <SelectField
              label="Entity"
              value={entity.entity}
              onValue={(v) => setSync({ ...sync, entity: v })}
              options={provider.sync.map((s) => [s.entity, s.entity])}
            />
            <SelectField
              label="Direction"
              value={direction ?? ""}
              onValue={(v) => setSync({ ...sync, direction: v })}
              options={entity.directions.map((x) => [x, x])}
            />
            <WriteButton scope="integrations:write" type="submit">
              Start sync
            </WriteButton>
            <WriteButton
              scope="integrations:write"
              class="secondary"
              disabled={!status || status.counts.failed + status.counts.dead === 0}
              onClick={() =>
                void act("Failed jobs queued again.", () =>
                  ok(api.POST("/v1/integrations/{provider}/sync/retry", { params: { path: { provider: id } } })),
                )
              }
            >
              Retry failed jobs
            </WriteButton>
            <WriteButton
              scope="integrations:write"
              class="secondary"
              disabled={!status || status.counts.queued + status.counts.running === 0}
              onClick={() =>
                void act("Queued jobs stopped.", () =>
                  ok(api.POST("/v1/integrations/{provider}/sync/stop", { params: { path: { provider: id } } })),
                )
              }
            >
              Stop queued jobs
            </WriteButton>
          </form>
          <p class="hint">{entity.description}</p>
          <h3>History</h3>
          {!history || history.data.length === 0 ? (
            <Empty>No sync has run yet.</Empty>
          ) : (
            <table>
              <Columns names={["Queued", "Job", "Status", "Attempts", "Last error"]} actions />
              <tbody>
                {history.data.map((j) => (
                  <tr data-job={j.id}>
                    <th scope="row">{when(j.createdAt)}</th>
                    <td>
                      {j.entity} {j.direction}
                    </td>
                    <td>
                      <Badge
                        tone={
                          EVENT_TONE[
                            j.status === "succeeded"
                              ? "processed"
                              : j.status === "queued" || j.status === "running"
                                ? "received"
                                : j.status
                          ] ?? "neutral"
                        }
                      >
                        {j.status}
                      </Badge>
                    </td>
                    <td>{j.attempts}</td>
                    <td class="clip">{j.lastError ?? ""}</td>
                    <td>
                      {(j.status === "failed" || j.status === "dead") && (
                        <WriteButton
                          scope="integrations:write"
                          aria-label={`Retry job ${j.id}`}
                          onClick={() =>
                            void act("Job queued again.", () =>
                              ok(
                                api.POST("/v1/integrations/{provider}/sync/retry", {
                                  params: { path: { provider: id } },
                                  body: { jobIds: [j.id] },
                                }),
                              ),
                            )
                          }
                        >
                          Retry
                        </WriteButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {connection && (
        <section class="card" aria-labelledby="int-mappings">
          <h2 id="int-mappings">Field mappings</h2>
          <FieldMappings provider={id} />
        </section>
      )}
    </Page>
  );
}
