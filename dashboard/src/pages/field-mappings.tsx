// Field mappings per provider and entity (GET|PUT /v1/integrations/{provider}/mappings, POST
// …/mappings/test|apply-template|reset|heal, GET …/{provider}/fields): pick an entity, edit its rows
// (source field, target field, transform) with the declared fields offered, test them against a
// sample record, apply a template, reset or heal. A server without these routes (404) says so.
import { useState } from "preact/hooks";
import { api, messageOf, ok, type Schemas } from "../api/client";
import { usePoll } from "../poll";
import { Json, NotAvailable, Notice, SelectField, WriteButton } from "../ui/kit";

type Row = Schemas["StoredFieldMapping"];
type Transform = NonNullable<Schemas["FieldMapping"]["transform"]>;

const parseSample = (text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } => {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value))
      return { ok: false, error: "The sample must be one JSON object" };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${messageOf(err)}` };
  }
};

export function FieldMappings({ provider }: { provider: string }) {
  const path = { provider };
  const load = async () => {
    const [mappings, fields] = await Promise.all([
      api.GET("/v1/integrations/{provider}/mappings", { params: { path, query: {} } }),
      api.GET("/v1/integrations/{provider}/fields", { params: { path } }),
    ]);
    if (mappings.response.status === 404 || fields.response.status === 404) return null;
    return { mappings: await ok(Promise.resolve(mappings)), fields: await ok(Promise.resolve(fields)) };
  };
  const loaded = usePoll(load, 0, [provider]);
  const [entity, setEntity] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [sample, setSample] = useState("{}");
  const [result, setResult] = useState<unknown>(undefined);
  const [note, setNote] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  if (loaded.data === null) return <NotAvailable what="Field mappings" path={`GET /v1/integrations/${provider}/mappings`} />;
  if (!loaded.data) return loaded.error ? <Notice tone="error">{messageOf(loaded.error)}</Notice> : <p>Loading…</p>;
  const { mappings, fields } = loaded.data;
  if (mappings.data.length === 0) return <p class="empty">This provider declares no fields to map.</p>;

  const chosen = entity ?? mappings.data[0]!.entity;
  const mapping = mappings.data.find((m) => m.entity === chosen) ?? mappings.data[0]!;
  const spec = fields.entities.find((e) => e.entity === chosen);
  const current = rows ?? mapping.mappings;
  const [sourceFields, targetFields] = spec
    ? spec.direction === "outbound"
      ? [spec.curbgate, spec.provider]
      : [spec.provider, spec.curbgate]
    : [[], []];
  const options = (names: { name: string }[], value: string): [string, string][] => {
    const list = names.map((f) => [f.name, f.name] as [string, string]);
    return list.some(([n]) => n === value) ? list : [[value, `${value} (not declared)`], ...list];
  };
  const transforms: [string, string][] = [["", "none"], ...fields.transforms.map((t) => [t.name, t.name] as [string, string])];
  const sampled = parseSample(sample);

  const choose = (next: string) => {
    setEntity(next);
    setRows(null);
    setResult(undefined);
    setNote(null);
  };
  const edit = (index: number, change: Partial<Row>) =>
    setRows(
      current.map((r, i) => {
        if (i !== index) return r;
        const next = { ...r, ...change };
        if (!next.transform) delete next.transform;
        return next;
      }),
    );
  const body = (r: Row[]) =>
    r.map((x) => ({ from: x.from, to: x.to, ...(x.transform ? { transform: x.transform as Transform } : {}) }));
  const act = async (label: string, run: () => Promise<unknown>) => {
    setNote(null);
    try {
      const out = await run();
      setNote({ tone: "success", text: `${label}: done.` });
      return out;
    } catch (err) {
      setNote({ tone: "error", text: `${label}: ${messageOf(err)}` });
      return undefined;
    }
  };
  const reload = async () => {
    setRows(null);
    await loaded.reload();
  };
  const templates = spec ? Object.keys(spec.templates) : [];

  return (
    <div class="mappings">
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      <SelectField
        label="Entity"
        value={chosen}
        onValue={choose}
        options={mappings.data.map((m) => [m.entity, `${m.entity} (Curbgate ${m.curbgateEntity}, ${m.direction})`])}
      />
      <p class="hint">
        {mapping.custom ? "Edited for this city." : `Following the template "${mapping.template ?? "default"}".`} Source fields
        are {spec?.direction === "inbound" ? "the provider's" : "Curbgate's"}.
      </p>
      {mapping.problems.length > 0 && (
        <Notice tone="error">
          {mapping.problems.length} problem(s): {mapping.problems.map((p) => p.message).join("; ")}
        </Notice>
      )}
      <table>
        <caption>Rows of the {chosen} mapping</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Transform</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {current.map((r, i) => (
            <tr data-mapping-row={i}>
              <td>
                <SelectField
                  label={`Row ${i + 1} from`}
                  value={r.from}
                  onValue={(v) => edit(i, { from: v })}
                  options={options(sourceFields, r.from)}
                />
              </td>
              <td>
                <SelectField
                  label={`Row ${i + 1} to`}
                  value={r.to}
                  onValue={(v) => edit(i, { to: v })}
                  options={options(targetFields, r.to)}
                />
              </td>
              <td>
                <SelectField
                  label={`Row ${i + 1} transform`}
                  value={r.transform ?? ""}
                  onValue={(v) => edit(i, { transform: v })}
                  options={transforms}
                />
              </td>
              <td>
                <WriteButton scope="integrations:write" onClick={() => setRows(current.filter((_, k) => k !== i))}>
                  Remove row {i + 1}
                </WriteButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="form-actions">
        <WriteButton
          scope="integrations:write"
          onClick={() => setRows([...current, { from: sourceFields[0]?.name ?? "", to: targetFields[0]?.name ?? "" }])}
        >
          Add a row
        </WriteButton>
        <WriteButton
          scope="integrations:write"
          disabled={rows === null || current.length === 0}
          onClick={async () =>
            (await act("Save mappings", () =>
              ok(
                api.PUT("/v1/integrations/{provider}/mappings", {
                  params: { path },
                  body: { entity: chosen, mappings: body(current) },
                }),
              ),
            )) !== undefined && reload()
          }
        >
          Save mappings
        </WriteButton>
        <WriteButton
          scope="integrations:write"
          onClick={async () =>
            confirm("Reset this entity's mapping to the provider's default?") &&
            (await act("Reset", () =>
              ok(api.POST("/v1/integrations/{provider}/mappings/reset", { params: { path }, body: { entity: chosen } })),
            )) !== undefined &&
            reload()
          }
        >
          Reset to default
        </WriteButton>
        <WriteButton
          scope="integrations:write"
          onClick={async () => {
            const healed = await act("Heal", () =>
              ok(
                api.POST("/v1/integrations/{provider}/mappings/heal", {
                  params: { path },
                  body: { entity: chosen, dryRun: false },
                }),
              ),
            );
            if (healed !== undefined) {
              setResult(healed);
              await reload();
            }
          }}
        >
          Heal broken rows
        </WriteButton>
        {templates.map((template) => (
          <WriteButton
            scope="integrations:write"
            onClick={async () =>
              (await act(`Template ${template}`, () =>
                ok(
                  api.POST("/v1/integrations/{provider}/mappings/apply-template", {
                    params: { path },
                    body: { entity: chosen, template },
                  }),
                ),
              )) !== undefined && reload()
            }
          >
            Apply template “{template}”
          </WriteButton>
        ))}
      </div>
      <div class="field">
        <label for="mappings-sample">
          Sample {spec?.direction === "inbound" ? "provider" : "Curbgate"} record to test against (JSON)
        </label>
        <textarea
          id="mappings-sample"
          rows={6}
          spellcheck={false}
          value={sample}
          aria-invalid={sampled.ok ? undefined : "true"}
          aria-describedby="mappings-sample-error"
          onInput={(e) => setSample(e.currentTarget.value)}
        />
        {!sampled.ok && (
          <small id="mappings-sample-error" class="error">
            {sampled.error}
          </small>
        )}
      </div>
      <button
        type="button"
        disabled={!sampled.ok}
        onClick={async () =>
          sampled.ok &&
          setResult(
            await act("Test", () =>
              ok(
                api.POST("/v1/integrations/{provider}/mappings/test", {
                  params: { path },
                  body: { entity: chosen, sample: sampled.value, mappings: body(current) },
                }),
              ),
            ),
          )
        }
      >
        Test these rows against the sample
      </button>
      {result !== undefined && <Json value={result} />}
    </div>
  );
}
