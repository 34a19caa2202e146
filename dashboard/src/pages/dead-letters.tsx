import { useState } from "preact/hooks";
import { api, ApiProblem, messageOf, ok } from "../api/client";
import { isoToLocalInput, localInputToIso, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, Freshness, Notice, Page, SelectField, TextField, WriteButton } from "../ui/kit";

const DAY = 86_400_000;

export function DeadLetters() {
  const [replayed, setReplayed] = useState("false");
  const letters = usePoll(
    () =>
      ok(
        api.GET("/v1/dead-letters", {
          params: { query: { kind: "webhook", limit: 200, ...(replayed ? { replayed: replayed as "true" | "false" } : {}) } },
        }),
      ),
    10_000,
    [replayed],
  );
  const providers = usePoll(() => ok(api.GET("/v1/integrations/providers")), 0);
  const [range, setRange] = useState({ since: isoToLocalInput(Date.now() - DAY), until: "", provider: "" });
  const [note, setNote] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function replayRange(e: Event) {
    e.preventDefault();
    setNote(null);
    setFields({});
    try {
      const body = {
        since: localInputToIso(range.since) ?? "",
        ...(range.until ? { until: localInputToIso(range.until) } : {}),
        ...(range.provider ? { provider: range.provider } : {}),
      };
      const r = await ok(api.POST("/v1/dead-letters/replay", { body }));
      setNote({ tone: "success", text: r.replayed === 1 ? "1 event queued again." : `${r.replayed} events queued again.` });
      await letters.reload();
    } catch (err) {
      if (err instanceof ApiProblem) setFields(err.fields);
      setNote({ tone: "error", text: messageOf(err) });
    }
  }

  async function replayOne(eventId: string) {
    setNote(null);
    try {
      await ok(api.POST("/v1/webhook-events/{id}/replay", { params: { path: { id: eventId } } }));
      setNote({ tone: "success", text: "The event is queued again." });
    } catch (err) {
      setNote({ tone: "error", text: messageOf(err) });
    }
  }

  return (
    <Page title="Dead letters" actions={<Freshness poll={letters} />}>
      <p class="lede">
        Webhook events that used up their processing attempts. Replaying is safe: each effect is applied at most once. Sync jobs
        that gave up are retried from their integration's page.
      </p>
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      <form class="card" onSubmit={replayRange} aria-labelledby="bulk-replay">
        <h2 id="bulk-replay">Replay by time range</h2>
        <div class="row">
          <TextField
            label="Failed since"
            type="datetime-local"
            required
            value={range.since}
            error={fields.since}
            onValue={(since) => setRange({ ...range, since })}
          />
          <TextField
            label="Failed until (empty: now)"
            type="datetime-local"
            value={range.until}
            error={fields.until}
            onValue={(until) => setRange({ ...range, until })}
          />
          <SelectField
            label="Provider"
            value={range.provider}
            onValue={(provider) => setRange({ ...range, provider })}
            options={[["", "Every provider"], ...(providers.data?.data ?? []).map((p): [string, string] => [p.id, p.name])]}
          />
        </div>
        <WriteButton scope="webhooks:write" type="submit" disabled={!range.since}>
          Replay dead letters in range
        </WriteButton>
      </form>
      <SelectField
        label="Show"
        value={replayed}
        onValue={setReplayed}
        options={[
          ["false", "Not replayed yet"],
          ["true", "Replayed"],
          ["", "All"],
        ]}
      />
      {letters.data &&
        (letters.data.data.length === 0 ? (
          <Empty>No dead letter{replayed === "false" ? " waiting" : ""}.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Dead letters, newest first</caption>
            <Columns names={["Failed", "Provider", "Attempts", "Last error", "Replayed"]} actions />
            <tbody>
              {letters.data.data.map((d) => (
                <tr data-dead-letter={d.eventId}>
                  <th scope="row">
                    <Link href={`/webhooks/${d.eventId}`}>{when(d.failedAt)}</Link>
                  </th>
                  <td>{d.provider}</td>
                  <td>{d.attempts}</td>
                  <td class="clip">{d.lastError}</td>
                  <td>{d.replayedAt ? <Badge tone="good">{when(d.replayedAt)}</Badge> : "not yet"}</td>
                  <td>
                    <WriteButton
                      scope="webhooks:write"
                      aria-label={`Replay event ${d.eventId}`}
                      onClick={() => void replayOne(d.eventId)}
                    >
                      Replay
                    </WriteButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </Page>
  );
}
