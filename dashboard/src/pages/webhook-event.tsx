import { useState } from "preact/hooks";
import { api, messageOf, ok } from "../api/client";
import { when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, KeyValues, ErrorNotice, Freshness, Json, Notice, Page, WriteButton } from "../ui/kit";
import { EVENT_TONE } from "./webhook-events";

const pretty = (payload: string | null) => {
  if (payload === null) return "(not kept)";
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
};

export function WebhookEvent({ id }: { id: string }) {
  const event = usePoll(() => ok(api.GET("/v1/webhook-events/{id}", { params: { path: { id } } })), 5_000, [id]);
  const [note, setNote] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const e = event.data;

  async function replay() {
    try {
      await ok(api.POST("/v1/webhook-events/{id}/replay", { params: { path: { id } } }));
      setNote({ tone: "success", text: "Queued for processing again; the effect is applied at most once." });
      await event.reload();
    } catch (err) {
      setNote({ tone: "error", text: messageOf(err) });
    }
  }

  return (
    <Page
      title={e ? `${e.provider} ${e.type}` : "Webhook event"}
      actions={
        <>
          <Freshness poll={event} />
          <WriteButton scope="webhooks:write" onClick={() => void replay()}>
            Replay event
          </WriteButton>
          <Link href="/webhooks">All events</Link>
        </>
      }
    >
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      <ErrorNotice error={event.error} />
      {e && (
        <>
          <section class="card" aria-labelledby="ev-summary">
            <h2 id="ev-summary">Summary</h2>
            <dl class="figures">
              <div>
                <dt>Status</dt>
                <dd data-testid="event-status">
                  <Badge tone={EVENT_TONE[e.status] ?? "neutral"}>{e.status}</Badge>
                </dd>
              </div>
              <div>
                <dt>Vendor's event id</dt>
                <dd>{e.externalId}</dd>
              </div>
              <div>
                <dt>Received</dt>
                <dd>{when(e.receivedAt)}</dd>
              </div>
              <div>
                <dt>Processed</dt>
                <dd>{when(e.processedAt)}</dd>
              </div>
              <div>
                <dt>Attempts</dt>
                <dd>{e.attempts}</dd>
              </div>
            </dl>
            {e.lastError && <Notice tone="error">Last error: {e.lastError}</Notice>}
          </section>
          <section class="card" aria-labelledby="ev-effect">
            <h2 id="ev-effect">Effect</h2>
            {e.effect === null ? <p>None recorded.</p> : <Json value={e.effect} />}
          </section>
          <section class="card" aria-labelledby="ev-attempts">
            <h2 id="ev-attempts">Attempts</h2>
            <table>
              <Columns names={["#", "Started", "Took", "Outcome"]} />
              <tbody>
                {e.attemptLog.map((a) => (
                  <tr>
                    <th scope="row">{a.attempt}</th>
                    <td>{when(a.startedAt)}</td>
                    <td>{a.durationMs} ms</td>
                    <td>{a.ok ? <Badge tone="good">ok</Badge> : <span class="error">{a.error}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="ev-headers">
            <h2 id="ev-headers">Headers (secrets masked)</h2>
            <KeyValues rows={Object.entries(e.headers)} />
            {e.url && (
              <p>
                URL: <code>{e.url}</code>
              </p>
            )}
          </section>
          <section class="card" aria-labelledby="ev-payload">
            <h2 id="ev-payload">Payload</h2>
            <Json value={pretty(e.payload)} />
          </section>
        </>
      )}
    </Page>
  );
}
