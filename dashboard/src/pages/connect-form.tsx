// Connecting a provider: a form built from the credential fields the provider declares
// (GET /v1/integrations/providers), or the OAuth button for providers that sign in that way.
import { useState } from "preact/hooks";
import { api, ApiProblem, messageOf, ok, raw, type Schemas } from "../api/client";
import { Notice, TextField, WriteButton } from "../ui/kit";

type Provider = Schemas["Provider"];

export function ConnectForm({
  provider,
  replacing,
  onConnected,
}: {
  provider: Provider;
  replacing: boolean;
  onConnected: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = problem instanceof ApiProblem ? problem.fields : {};

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      // Empty optional fields are left out, as the API asks.
      const credentials = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
      await ok(api.POST("/v1/integrations/connections", { body: { provider: provider.id, credentials } }));
      setValues({});
      onConnected();
    } catch (err) {
      setProblem(err instanceof Error ? err : new Error(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={`${replacing ? "Replace" : "Connect"} ${provider.name} credentials`} autoComplete="off">
      {problem && <Notice tone="error">{problem.message}</Notice>}
      {provider.credentialFields.map((f) => (
        <TextField
          label={`${f.label}${f.required ? "" : " (optional)"}`}
          type={f.secret ? "password" : "text"}
          autoComplete={f.secret ? "new-password" : "off"}
          required={f.required}
          hint={f.help}
          value={values[f.name] ?? ""}
          error={fields[`credentials.${f.name}`]}
          onValue={(v) => setValues({ ...values, [f.name]: v })}
        />
      ))}
      <p class="hint">Secrets are encrypted at rest and only ever shown masked.</p>
      <WriteButton scope="integrations:write" type="submit" disabled={busy}>
        {busy ? "Connecting…" : replacing ? "Replace credentials" : `Connect ${provider.name}`}
      </WriteButton>
    </form>
  );
}

/** Starts the provider's OAuth flow (POST /v1/integrations/oauth/{provider}/start) and follows its authorize URL. */
export function OAuthButton({ provider }: { provider: Provider }) {
  const [note, setNote] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  async function start() {
    setNote(null);
    try {
      const returnTo = location.href;
      const res = await raw<{ authorizeUrl?: string; url?: string }>(
        "POST",
        `/v1/integrations/oauth/${encodeURIComponent(provider.id)}/start`,
        { returnTo },
      );
      if (res.status === 404)
        return setNote({
          tone: "info",
          text: `OAuth sign-in is not available on this server yet (POST /v1/integrations/oauth/${provider.id}/start answered 404).`,
        });
      const url = res.data?.authorizeUrl ?? res.data?.url;
      if (!url) return setNote({ tone: "error", text: "The API did not say where to sign in." });
      location.assign(url);
    } catch (err) {
      setNote({ tone: "error", text: messageOf(err) });
    }
  }
  return (
    <div>
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      <WriteButton scope="integrations:write" onClick={() => void start()}>
        Connect with {provider.name}
      </WriteButton>
    </div>
  );
}
