import { useState } from "preact/hooks";
import { api, ApiProblem, messageOf, ok } from "../api/client";
import { isoToLocalInput, localInputToIso, when } from "../format";
import { usePoll } from "../poll";
import { Badge, Columns, Empty, ErrorNotice, Notice, Page, SelectField, TextField, WriteButton } from "../ui/kit";

const TYPES: [string, string][] = [
  ["RESIDENTIAL", "Residential"],
  ["BUSINESS", "Business"],
  ["VISITOR", "Visitor"],
];
const DAY = 86_400_000;
type PermitType = "RESIDENTIAL" | "BUSINESS" | "VISITOR";

function CreatePermit({ zones, onCreated }: { zones: { code: string; name: string }[]; onCreated: (number: string) => void }) {
  const blank = () => ({
    plate: "",
    state: "",
    type: "RESIDENTIAL",
    number: "",
    zones: [] as string[],
    validFrom: "",
    validUntil: isoToLocalInput(Date.now() + 30 * DAY),
  });
  const [f, setF] = useState(blank);
  const [problem, setProblem] = useState<ApiProblem | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = problem instanceof ApiProblem ? problem.fields : {};
  const missingZones = f.zones.length === 0;

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const body = {
        plate: f.plate,
        type: f.type as PermitType,
        zones: f.zones,
        validUntil: localInputToIso(f.validUntil) ?? "",
        ...(f.state ? { state: f.state } : {}),
        ...(f.number ? { number: f.number } : {}),
        ...(f.validFrom ? { validFrom: localInputToIso(f.validFrom) } : {}),
      };
      const permit = await ok(api.POST("/v1/permits", { body }));
      setF(blank());
      onCreated(permit.number);
    } catch (err) {
      setProblem(err instanceof Error ? err : new Error(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-permit">
      <h2 id="new-permit">Issue a permit</h2>
      {problem && <Notice tone="error">{problem.message}</Notice>}
      <div class="row">
        <TextField label="Plate" required value={f.plate} error={fields.plate} onValue={(plate) => setF({ ...f, plate })} />
        <TextField label="State" maxLength={3} value={f.state} error={fields.state} onValue={(state) => setF({ ...f, state })} />
        <SelectField label="Type" value={f.type} options={TYPES} onValue={(type) => setF({ ...f, type })} />
        <TextField
          label="Number (optional)"
          value={f.number}
          error={fields.number}
          hint="Made up when empty"
          onValue={(number) => setF({ ...f, number })}
        />
      </div>
      <fieldset class={fields.zones ? "field-invalid" : ""}>
        <legend>Zones it covers</legend>
        {zones.map((z) => (
          <label class="day">
            <input
              type="checkbox"
              checked={f.zones.includes(z.code)}
              onChange={(e) =>
                setF({ ...f, zones: e.currentTarget.checked ? [...f.zones, z.code] : f.zones.filter((c) => c !== z.code) })
              }
            />
            {z.code} <span class="muted">{z.name}</span>
          </label>
        ))}
        {fields.zones && <small class="error">{fields.zones}</small>}
      </fieldset>
      <div class="row">
        <TextField
          label="Valid from (empty: now)"
          type="datetime-local"
          value={f.validFrom}
          error={fields.validFrom}
          onValue={(validFrom) => setF({ ...f, validFrom })}
        />
        <TextField
          label="Valid until"
          type="datetime-local"
          required
          value={f.validUntil}
          error={fields.validUntil}
          onValue={(validUntil) => setF({ ...f, validUntil })}
        />
      </div>
      <WriteButton scope="permits:write" type="submit" disabled={busy || !f.plate || missingZones || !f.validUntil}>
        {busy ? "Issuing…" : "Issue permit"}
      </WriteButton>
      {missingZones && <small class="hint"> Choose at least one zone.</small>}
    </form>
  );
}

export function Permits() {
  const [query, setQuery] = useState({ plate: "", zone: "", status: "" });
  const [applied, setApplied] = useState(query);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const zones = usePoll(() => ok(api.GET("/v1/zones")), 0);
  const permits = usePoll(
    () =>
      ok(
        api.GET("/v1/permits", {
          params: {
            query: {
              ...(applied.plate ? { plate: applied.plate } : {}),
              ...(applied.zone ? { zone: applied.zone } : {}),
              ...(applied.status ? { status: applied.status as "active" | "revoked" } : {}),
              limit: 100,
            },
          },
        }),
      ),
    0,
    [applied],
  );

  async function revoke(id: string, number: string) {
    if (!confirm(`Revoke permit ${number}? The next plate check will no longer see it.`)) return;
    setError(null);
    try {
      await ok(api.DELETE("/v1/permits/{id}", { params: { path: { id } } }));
      setMessage(`Permit ${number} revoked.`);
      await permits.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Page title="Permits">
      {message && <Notice tone="success">{message}</Notice>}
      <ErrorNotice error={error} />
      <form
        class="row inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(query);
        }}
      >
        <TextField label="Plate" value={query.plate} onValue={(plate) => setQuery({ ...query, plate })} />
        <SelectField
          label="Zone"
          value={query.zone}
          onValue={(zone) => setQuery({ ...query, zone })}
          options={[["", "Any zone"], ...(zones.data?.data ?? []).map((z): [string, string] => [z.code, z.code])]}
        />
        <SelectField
          label="Status"
          value={query.status}
          onValue={(status) => setQuery({ ...query, status })}
          options={[
            ["", "Any"],
            ["active", "Active"],
            ["revoked", "Revoked"],
          ]}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNotice error={permits.error} />
      {permits.data &&
        (permits.data.data.length === 0 ? (
          <Empty>No permit matches.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Permits, newest first</caption>
            <Columns names={["Number", "Plate", "Type", "Zones", "Valid", "Status"]} actions />
            <tbody>
              {permits.data.data.map((p) => (
                <tr data-permit={p.number}>
                  <th scope="row">{p.number}</th>
                  <td>
                    {p.plate} {p.state && <span class="muted">{p.state}</span>}
                  </td>
                  <td>{p.type.toLowerCase()}</td>
                  <td>{p.zones.join(", ")}</td>
                  <td>
                    {when(p.validFrom)} – {when(p.validUntil)}
                  </td>
                  <td>
                    <Badge tone={p.status === "active" ? "good" : "neutral"}>{p.status}</Badge>
                  </td>
                  <td>
                    {p.status === "active" && (
                      <WriteButton
                        scope="permits:write"
                        class="danger"
                        aria-label={`Revoke permit ${p.number}`}
                        onClick={() => void revoke(p.id, p.number)}
                      >
                        Revoke
                      </WriteButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {zones.data && (
        <CreatePermit
          zones={zones.data.data}
          onCreated={(number) => {
            setMessage(`Permit ${number} issued. It counts in the very next plate check.`);
            void permits.reload();
          }}
        />
      )}
    </Page>
  );
}
