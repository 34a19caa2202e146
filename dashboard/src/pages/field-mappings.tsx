// Field mappings per provider: edit, test against a sample, apply a template, reset, heal. The routes
// (GET|PUT /v1/integrations/{provider}/mappings, POST …/mappings/test|apply-template|reset|heal,
// GET …/{provider}/fields) arrive in another branch; until the API has them this section says so.
// Mappings are edited as the JSON the API returns, so the editor does not assume their exact shape.
import { useState } from "preact/hooks";
import { messageOf, raw } from "../api/client";
import { usePoll } from "../poll";
import { Json, NotAvailable, Notice, TextField, WriteButton } from "../ui/kit";

const parse = (text: string): { ok: true; value: unknown } | { ok: false; error: string } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${messageOf(err)}` };
  }
};

export function FieldMappings({ provider }: { provider: string }) {
  const base = `/v1/integrations/${encodeURIComponent(provider)}`;
  const mappings = usePoll(() => raw("GET", `${base}/mappings`), 0, [provider]);
  const fields = usePoll(() => raw("GET", `${base}/fields`), 0, [provider]);
  const [text, setText] = useState<string | null>(null);
  const [sample, setSample] = useState('{\n  "id": "example"\n}');
  const [template, setTemplate] = useState("");
  const [result, setResult] = useState<unknown>(undefined);
  const [note, setNote] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  if (mappings.data?.status === 404) return <NotAvailable what="Field mappings" path={`GET ${base}/mappings`} />;
  if (!mappings.data) return mappings.error ? <Notice tone="error">{messageOf(mappings.error)}</Notice> : <p>Loading…</p>;

  const current = text ?? JSON.stringify(mappings.data.data, null, 2);
  const edited = parse(current);
  const sampled = parse(sample);
  const act = async (label: string, method: string, path: string, body?: unknown) => {
    setNote(null);
    try {
      const res = await raw(method, path, body);
      if (res.status === 404) return setNote({ tone: "error", text: `${label} is not available on this server yet.` });
      setNote({ tone: "success", text: `${label}: done.` });
      return res.data;
    } catch (err) {
      setNote({ tone: "error", text: `${label}: ${messageOf(err)}` });
    }
  };
  const refresh = async () => {
    setText(null);
    await mappings.reload();
  };

  return (
    <div class="mappings">
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      <div class="field">
        <label for="mappings-json">Mappings (JSON)</label>
        <textarea id="mappings-json" rows={12} spellcheck={false} value={current} aria-invalid={edited.ok ? undefined : "true"} aria-describedby="mappings-json-error" onInput={(e) => setText(e.currentTarget.value)} />
        {!edited.ok && (
          <small id="mappings-json-error" class="error">
            {edited.error}
          </small>
        )}
      </div>
      <div class="form-actions">
        <WriteButton scope="integrations:write" disabled={!edited.ok || text === null} onClick={async () => edited.ok && (await act("Save mappings", "PUT", `${base}/mappings`, edited.value)) !== undefined && refresh()}>
          Save mappings
        </WriteButton>
        <WriteButton scope="integrations:write" onClick={async () => confirm("Reset the mappings to the provider's defaults?") && (await act("Reset", "POST", `${base}/mappings/reset`)) !== undefined && refresh()}>
          Reset to defaults
        </WriteButton>
        <WriteButton scope="integrations:write" onClick={async () => (await act("Heal", "POST", `${base}/mappings/heal`)) !== undefined && refresh()}>
          Heal broken mappings
        </WriteButton>
      </div>
      <div class="row">
        <TextField label="Template" value={template} onValue={setTemplate} />
        <WriteButton scope="integrations:write" disabled={!template} onClick={async () => (await act("Apply template", "POST", `${base}/mappings/apply-template`, { template })) !== undefined && refresh()}>
          Apply template
        </WriteButton>
      </div>
      <div class="field">
        <label for="mappings-sample">Sample record to test against (JSON)</label>
        <textarea id="mappings-sample" rows={6} spellcheck={false} value={sample} aria-invalid={sampled.ok ? undefined : "true"} onInput={(e) => setSample(e.currentTarget.value)} />
        {!sampled.ok && <small class="error">{sampled.error}</small>}
      </div>
      <button type="button" disabled={!sampled.ok || !edited.ok} onClick={async () => sampled.ok && edited.ok && setResult(await act("Test", "POST", `${base}/mappings/test`, { sample: sampled.value, mappings: edited.value }))}>
        Test mappings against the sample
      </button>
      {result !== undefined && <Json value={result} />}
      {fields.data?.status === 200 && (
        <details>
          <summary>The provider's fields</summary>
          <Json value={fields.data.data} />
        </details>
      )}
    </div>
  );
}
