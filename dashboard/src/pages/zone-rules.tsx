// A zone's rules as a form: rate slots, enforcement hours, grace, maximum stay. Every change is checked
// at once with the same rule checks the API runs (src/domain/rules.ts) and shown beside its field; what
// only the server can judge comes back as field errors and is shown the same way.
import { useMemo, useState } from "preact/hooks";
import { validateZoneRules } from "../../../src/domain/rules";
import { DAYS, type Day, type ZoneRules } from "../../../src/domain/types";
import { api, ApiProblem, messageOf, ok, type Schemas } from "../api/client";
import { session } from "../auth/session";
import { Notice, TextField, WriteButton } from "../ui/kit";

type Zone = Schemas["Zone"];
interface Window {
  days: Day[];
  start: string;
  end: string;
  rate?: string; // dollars per hour, as typed
}
interface Form {
  name: string;
  capacity: string;
  graceMinutes: string;
  maxStayMinutes: string;
  incrementMinutes: string;
  rateSlots: Window[];
  enforcement: Window[];
}

const formOf = (z: Zone): Form => ({
  name: z.name,
  capacity: z.capacity === null ? "" : String(z.capacity),
  graceMinutes: String(z.graceMinutes),
  maxStayMinutes: String(z.maxStayMinutes),
  incrementMinutes: String(z.incrementMinutes),
  rateSlots: z.rateSlots.map((s) => ({ days: s.days, start: s.start, end: s.end, rate: (s.rateCentsPerHour / 100).toFixed(2) })),
  enforcement: z.enforcement.map((w) => ({ days: w.days, start: w.start, end: w.end })),
});

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : Number.NaN);
const cents = (s: string) => (/^\d+(\.\d{1,2})?$/.test(s.trim()) ? Math.round(Number(s) * 100) : Number.NaN);

function rulesOf(zone: Zone, f: Form): ZoneRules {
  return {
    code: zone.code,
    name: f.name.trim(),
    timezone: zone.timezone,
    rateSlots: f.rateSlots.map((s) => ({ days: s.days, start: s.start, end: s.end, rateCentsPerHour: cents(s.rate ?? "") })),
    enforcement: f.enforcement.map((w) => ({ days: w.days, start: w.start, end: w.end })),
    graceMinutes: whole(f.graceMinutes),
    maxStayMinutes: whole(f.maxStayMinutes),
    incrementMinutes: whole(f.incrementMinutes),
  };
}

/** Problems by field path, as the API would name them. */
export function problemsOf(zone: Zone, f: Form): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of validateZoneRules(rulesOf(zone, f))) out[p.path.replace(/\.rateCentsPerHour$/, ".rate")] ??= p.message;
  f.rateSlots.forEach((s, i) => {
    if (Number.isNaN(cents(s.rate ?? ""))) out[`rateSlots.${i}.rate`] = "dollars per hour, e.g. 2.00";
  });
  if (f.capacity.trim() !== "" && !(whole(f.capacity) <= 100_000)) out.capacity = "a whole number up to 100000, or empty";
  if (f.name.length > 120) out.name = "at most 120 characters";
  return out;
}

function WindowRows(p: {
  kind: "rateSlots" | "enforcement";
  rows: Window[];
  errors: Record<string, string>;
  disabled: boolean;
  onChange: (rows: Window[]) => void;
}) {
  const set = (i: number, patch: Partial<Window>) => p.onChange(p.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const noun = p.kind === "rateSlots" ? "Rate slot" : "Enforcement window";
  return (
    <>
      {p.rows.map((r, i) => (
        <fieldset class="window" data-row={`${p.kind}.${i}`}>
          <legend>
            {noun} {i + 1}
          </legend>
          <div class="days" role="group" aria-label={`${noun} ${i + 1} days`}>
            {DAYS.map((d) => (
              <label class="day">
                <input
                  type="checkbox"
                  disabled={p.disabled}
                  checked={r.days.includes(d)}
                  onChange={(e) =>
                    set(i, {
                      days: e.currentTarget.checked
                        ? DAYS.filter((x) => x === d || r.days.includes(x))
                        : r.days.filter((x) => x !== d),
                    })
                  }
                />
                {d}
              </label>
            ))}
          </div>
          {p.errors[`${p.kind}.${i}.days`] && <small class="error">Days: {p.errors[`${p.kind}.${i}.days`]}</small>}
          <div class="row">
            <TextField
              label="From (HH:MM)"
              value={r.start}
              disabled={p.disabled}
              error={p.errors[`${p.kind}.${i}.start`]}
              onValue={(v) => set(i, { start: v })}
            />
            <TextField
              label="Until (HH:MM)"
              value={r.end}
              disabled={p.disabled}
              error={p.errors[`${p.kind}.${i}.end`]}
              onValue={(v) => set(i, { end: v })}
            />
            {p.kind === "rateSlots" && (
              <TextField
                label="Rate ($/hour)"
                inputMode="decimal"
                value={r.rate ?? ""}
                disabled={p.disabled}
                error={p.errors[`rateSlots.${i}.rate`]}
                onValue={(v) => set(i, { rate: v })}
              />
            )}
            <button
              type="button"
              class="secondary"
              disabled={p.disabled}
              onClick={() => p.onChange(p.rows.filter((_, j) => j !== i))}
            >
              Remove {noun.toLowerCase()} {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        class="secondary"
        disabled={p.disabled}
        onClick={() =>
          p.onChange([
            ...p.rows,
            {
              days: ["MON", "TUE", "WED", "THU", "FRI"],
              start: "08:00",
              end: "18:00",
              ...(p.kind === "rateSlots" ? { rate: "1.00" } : {}),
            },
          ])
        }
      >
        Add {noun.toLowerCase()}
      </button>
    </>
  );
}

export function RulesEditor({ zone, onSaved }: { zone: Zone; onSaved: () => void }) {
  const [form, setForm] = useState(() => formOf(zone));
  const [dirty, setDirty] = useState(false);
  const [server, setServer] = useState<{ fields: Record<string, string>; message: string | null; saved: boolean }>({
    fields: {},
    message: null,
    saved: false,
  });
  const [busy, setBusy] = useState(false);
  const readOnly = !session.can("zones:write");
  const local = useMemo(() => problemsOf(zone, form), [zone, form]);
  const errors = dirty ? { ...server.fields, ...local } : server.fields;
  const update = (patch: Partial<Form>) => {
    setForm({ ...form, ...patch });
    setDirty(true);
    setServer({ fields: {}, message: null, saved: false });
  };

  async function save(e: Event) {
    e.preventDefault();
    setDirty(true);
    if (Object.keys(local).length) return;
    setBusy(true);
    const r = rulesOf(zone, form);
    try {
      const body = {
        name: r.name,
        timezone: r.timezone,
        rateSlots: r.rateSlots,
        enforcement: r.enforcement,
        graceMinutes: r.graceMinutes,
        maxStayMinutes: r.maxStayMinutes,
        incrementMinutes: r.incrementMinutes,
        capacity: form.capacity.trim() === "" ? null : whole(form.capacity),
      };
      await ok(api.PUT("/v1/zones/{code}", { params: { path: { code: zone.code } }, body }));
      setServer({ fields: {}, message: null, saved: true });
      setDirty(false);
      onSaved();
    } catch (err) {
      const fields =
        err instanceof ApiProblem
          ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.replace(/\.rateCentsPerHour$/, ".rate"), v]))
          : {};
      setServer({ fields, message: messageOf(err), saved: false });
    } finally {
      setBusy(false);
    }
  }

  const count = Object.keys(errors).length;
  return (
    <section aria-labelledby="zone-rules" class="card">
      <h2 id="zone-rules">Rules</h2>
      {readOnly && <Notice tone="info">Your role can read these rules but not change them.</Notice>}
      <form onSubmit={save} noValidate>
        <div class="row">
          <TextField
            label="Name"
            value={form.name}
            disabled={readOnly}
            error={errors.name}
            onValue={(name) => update({ name })}
          />
          <TextField
            label="Capacity (spaces)"
            inputMode="numeric"
            value={form.capacity}
            disabled={readOnly}
            error={errors.capacity}
            hint="Empty for none"
            onValue={(capacity) => update({ capacity })}
          />
        </div>
        <div class="row">
          <TextField
            label="Grace (minutes)"
            inputMode="numeric"
            value={form.graceMinutes}
            disabled={readOnly}
            error={errors.graceMinutes}
            onValue={(graceMinutes) => update({ graceMinutes })}
          />
          <TextField
            label="Maximum stay (minutes)"
            inputMode="numeric"
            value={form.maxStayMinutes}
            disabled={readOnly}
            error={errors.maxStayMinutes}
            onValue={(maxStayMinutes) => update({ maxStayMinutes })}
          />
          <TextField
            label="Increment (minutes)"
            inputMode="numeric"
            value={form.incrementMinutes}
            disabled={readOnly}
            error={errors.incrementMinutes}
            onValue={(incrementMinutes) => update({ incrementMinutes })}
          />
        </div>
        <h3>Rate slots</h3>
        <WindowRows
          kind="rateSlots"
          rows={form.rateSlots}
          errors={errors}
          disabled={readOnly}
          onChange={(rateSlots) => update({ rateSlots })}
        />
        <h3>Enforcement hours ({zone.timezone})</h3>
        <WindowRows
          kind="enforcement"
          rows={form.enforcement}
          errors={errors}
          disabled={readOnly}
          onChange={(enforcement) => update({ enforcement })}
        />
        <div class="form-actions">
          {count > 0 && dirty && (
            <p class="error" role="status">
              {count === 1 ? "One field needs attention." : `${count} fields need attention.`}
            </p>
          )}
          {server.message && <Notice tone="error">{server.message}</Notice>}
          {server.saved && <Notice tone="success">Saved. The next plate check uses these rules.</Notice>}
          <WriteButton scope="zones:write" type="submit" disabled={busy || !dirty}>
            {busy ? "Saving…" : "Save rules"}
          </WriteButton>
          <button
            type="button"
            class="secondary"
            disabled={!dirty}
            onClick={() => {
              setForm(formOf(zone));
              setDirty(false);
              setServer({ fields: {}, message: null, saved: false });
            }}
          >
            Discard changes
          </button>
        </div>
      </form>
    </section>
  );
}
