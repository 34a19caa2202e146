import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { localInputToIso, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, Freshness, Page, SelectField, TextField, type Tone } from "../ui/kit";

export const EVENT_TONE: Record<string, Tone> = {
  processed: "good",
  unhandled: "neutral",
  received: "info",
  processing: "info",
  failed: "warn",
  dead: "bad",
};
const STATUSES = ["received", "processing", "processed", "unhandled", "failed", "dead"] as const;
type Status = (typeof STATUSES)[number];

export function WebhookEvents() {
  const providers = usePoll(() => ok(api.GET("/v1/integrations/providers")), 0);
  const [filters, setFilters] = useState({ provider: "", type: "", status: "", since: "" });
  const [applied, setApplied] = useState(filters);
  const events = usePoll(
    () =>
      ok(
        api.GET("/v1/webhook-events", {
          params: {
            query: {
              ...(applied.provider ? { provider: applied.provider } : {}),
              ...(applied.type ? { type: applied.type } : {}),
              ...(applied.status ? { status: applied.status as Status } : {}),
              ...(applied.since ? { since: localInputToIso(applied.since) } : {}),
              limit: 100,
            },
          },
        }),
      ),
    15_000,
    [applied],
  );

  return (
    <Page title="Webhook events" actions={<Freshness poll={events} />}>
      <form
        class="row inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <SelectField
          label="Provider"
          value={filters.provider}
          onValue={(provider) => setFilters({ ...filters, provider })}
          options={[["", "Any provider"], ...(providers.data?.data ?? []).map((p): [string, string] => [p.id, p.name])]}
        />
        <TextField
          label="Type"
          placeholder="payment_intent.succeeded"
          value={filters.type}
          onValue={(type) => setFilters({ ...filters, type })}
        />
        <SelectField
          label="Status"
          value={filters.status}
          onValue={(status) => setFilters({ ...filters, status })}
          options={[["", "Any status"], ...STATUSES.map((s): [string, string] => [s, s])]}
        />
        <TextField
          label="Received since"
          type="datetime-local"
          value={filters.since}
          onValue={(since) => setFilters({ ...filters, since })}
        />
        <button type="submit">Filter</button>
      </form>
      {events.data &&
        (events.data.data.length === 0 ? (
          <Empty>No event matches.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Webhook events, newest first</caption>
            <Columns names={["Received", "Provider", "Type", "Status", "Attempts", "Last error"]} />
            <tbody>
              {events.data.data.map((e) => (
                <tr data-event={e.id}>
                  <th scope="row">
                    <Link href={`/webhooks/${e.id}`}>{when(e.receivedAt)}</Link>
                  </th>
                  <td>{e.provider}</td>
                  <td>{e.type}</td>
                  <td>
                    <Badge tone={EVENT_TONE[e.status] ?? "neutral"}>{e.status}</Badge>
                  </td>
                  <td>{e.attempts}</td>
                  <td class="clip">{e.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </Page>
  );
}
