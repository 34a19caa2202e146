import { useState } from "preact/hooks";
import { api, messageOf, ok } from "../api/client";
import { session } from "../auth/session";
import { Notice, TextField } from "../ui/kit";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = session.notice();

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await ok(api.POST("/v1/auth/login", { body: { email, password } }));
      session.start({ token: t.token, expiresAt: t.expiresAt, sessionExpiresAt: t.sessionExpiresAt, user: t.user });
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Curbgate staff sign-in</h1>
        {notice && <Notice tone="info">{notice}</Notice>}
        {error && <Notice tone="error">{error}</Notice>}
        <TextField label="Email" type="email" autoComplete="username" required value={email} onValue={setEmail} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
