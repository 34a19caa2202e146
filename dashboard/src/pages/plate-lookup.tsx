// The same verdict an officer's handheld gets: POST /v1/verify.
import { useState } from "preact/hooks";
import { api, ApiProblem, messageOf, ok, type Schemas } from "../api/client";
import { duration, money, when } from "../format";
import { usePoll } from "../poll";
import { Badge, Notice, Page, SelectField, TextField, type Tone } from "../ui/kit";

const STATUS_TONE: Record<string, Tone> = {
  ACTIVE: "good",
  PERMITTED: "good",
  GRACE: "warn",
  NOT_ENFORCED: "info",
  EXPIRED: "bad",
  OVERSTAY: "bad",
  NO_RECORD: "bad",
};
const ACTION_TONE: Record<string, Tone> = { NO_ACTION: "good", WARN: "warn", CITE: "bad" };

export function Verdict({ v }: { v: Schemas["Verdict"] }) {
  return (
    <section class="card verdict" aria-labelledby="verdict-title" data-status={v.status}>
      <h2 id="verdict-title">
        {v.plate}
        {v.state ? ` (${v.state})` : ""} in {v.zone}:{" "}
        <Badge tone={STATUS_TONE[v.status] ?? "neutral"}>{v.status.replace("_", " ")}</Badge>
      </h2>
      <dl class="figures">
        <div>
          <dt>Valid</dt>
          <dd>{v.valid ? "Yes" : "No"}</dd>
        </div>
        <div>
          <dt>Recommendation</dt>
          <dd>
            <Badge tone={ACTION_TONE[v.enforcementRecommendation] ?? "neutral"}>
              {v.enforcementRecommendation.replace("_", " ")}
            </Badge>
          </dd>
        </div>
        <div>
          <dt>Match</dt>
          <dd>{v.matchType ?? "none"}</dd>
        </div>
      </dl>
      <p>{v.reason}</p>
      {v.session && (
        <p>
          Session {v.session.id}: {when(v.session.startTime)} to {when(v.session.endTime)},{" "}
          {duration(Math.max(0, v.session.secondsRemaining))} left at {money(v.session.zone.rateCentsPerHour)}/h.
        </p>
      )}
      {v.permits.length > 0 && (
        <ul>
          {v.permits.map((p) => (
            <li>
              {p.type} permit {p.number}, valid until {when(p.validUntil)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function PlateLookup() {
  const zones = usePoll(() => ok(api.GET("/v1/zones")), 0);
  const [plate, setPlate] = useState("");
  const [state, setState] = useState("");
  const [zone, setZone] = useState("");
  const [result, setResult] = useState<Schemas["Verdict"] | null>(null);
  const [error, setError] = useState<ApiProblem | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenZone = zone || zones.data?.data[0]?.code || "";

  async function check(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await ok(api.POST("/v1/verify", { body: { plate, zone: chosenZone, ...(state ? { state } : {}) } })));
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err : new Error(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }
  const fields = error instanceof ApiProblem ? error.fields : {};

  return (
    <Page title="Plate lookup">
      <form class="row inline-form" onSubmit={check}>
        <TextField label="Plate" required autoCapitalize="characters" value={plate} error={fields.plate} onValue={setPlate} />
        <TextField label="State (optional)" maxLength={3} value={state} error={fields.state} onValue={setState} />
        <SelectField
          label="Zone"
          value={chosenZone}
          onValue={setZone}
          error={fields.zone}
          options={(zones.data?.data ?? []).map((z) => [z.code, `${z.code} · ${z.name}`])}
        />
        <button type="submit" disabled={busy || !plate || !chosenZone}>
          {busy ? "Checking…" : "Check plate"}
        </button>
      </form>
      {error && <Notice tone="error">{error.message}</Notice>}
      {result && <Verdict v={result} />}
    </Page>
  );
}
