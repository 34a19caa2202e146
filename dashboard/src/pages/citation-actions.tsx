// The steps staff may take on a citation, offered only when its status allows them (the API's
// `allowedActions`) and enabled only for a role with the step's scope. The API decides in the end: a step
// refused because the citation changed meanwhile shows the API's reason, and the citation is read again.
import { useState } from "preact/hooks";
import type { Scope } from "../../../src/auth/principal";
import { api, ApiProblem, messageOf, ok, type Schemas } from "../api/client";
import { session } from "../auth/session";
import { money } from "../format";
import { Notice, TextArea, TextField, WriteButton } from "../ui/kit";
import { statusText } from "./citations";

type Citation = Schemas["Citation"];
type Step = "appeal" | "void" | "uphold" | "dismiss" | "pay";

// Escalation and collection are the cron's, never a person's, so they are not offered here.
const STEPS: { step: Step; label: string; scope: Scope; reason: "required" | "optional" | "none"; danger?: boolean }[] = [
  { step: "appeal", label: "Record appeal", scope: "citations:write", reason: "required" },
  { step: "void", label: "Void citation", scope: "citations:write", reason: "required", danger: true },
  { step: "uphold", label: "Uphold appeal", scope: "enforcement:admin", reason: "optional" },
  { step: "dismiss", label: "Dismiss", scope: "enforcement:admin", reason: "required" },
  { step: "pay", label: "Record payment", scope: "enforcement:admin", reason: "none" },
];

function send(c: Citation, step: Step, reason: string, reference: string) {
  const path = { params: { path: { id: c.id } } };
  const why = reason.trim();
  switch (step) {
    case "appeal":
      return ok(api.POST("/v1/citations/{id}/appeal", { ...path, body: { reason: why } }));
    case "void":
      return ok(api.POST("/v1/citations/{id}/void", { ...path, body: { reason: why } }));
    case "uphold":
      return ok(api.POST("/v1/citations/{id}/uphold", { ...path, body: why ? { reason: why } : {} }));
    case "dismiss":
      return ok(api.POST("/v1/citations/{id}/dismiss", { ...path, body: { reason: why } }));
    case "pay":
      // The amount on screen is sent, so a late fee added since the page loaded is refused, not charged unseen.
      return ok(
        api.POST("/v1/citations/{id}/pay", {
          ...path,
          body: { amountCents: c.amountDueCents, ...(reference.trim() ? { reference: reference.trim() } : {}) },
        }),
      );
  }
}

export function CitationActions({ citation, onChanged }: { citation: Citation; onChanged: () => Promise<void> }) {
  const [reason, setReason] = useState("");
  const [reference, setReference] = useState("");
  const [busy, setBusy] = useState<Step | null>(null);
  const [note, setNote] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const offered = STEPS.filter((s) => citation.allowedActions.includes(s.step));
  const needsReason = offered.some((s) => s.reason !== "none");
  const mayAny = offered.some((s) => session.can(s.scope));

  async function run(s: (typeof STEPS)[number]) {
    setNote(null);
    setFields({});
    if (s.reason === "required" && !reason.trim()) {
      setFields({ reason: `A reason is required to ${s.step} this citation.` });
      return;
    }
    setBusy(s.step);
    try {
      const after = await send(citation, s.step, reason, reference);
      setReason("");
      setReference("");
      setNote({ tone: "success", text: `Citation ${after.number} is now ${statusText(after.status)}.` });
    } catch (err) {
      if (err instanceof ApiProblem) setFields(err.fields);
      setNote({ tone: "error", text: messageOf(err) });
    } finally {
      setBusy(null);
    }
    await onChanged(); // after a refusal too: the citation may have moved on
  }

  return (
    <form class="card" aria-labelledby="cit-actions" onSubmit={(e) => e.preventDefault()}>
      <h2 id="cit-actions">Actions</h2>
      {note && <Notice tone={note.tone}>{note.text}</Notice>}
      {offered.length === 0 ? (
        <p data-testid="no-actions">
          This citation is {statusText(citation.status)}
          {citation.allowedActions.length === 0
            ? ": that is final, nothing more can be done."
            : "; what comes next is automatic."}
        </p>
      ) : (
        <>
          {needsReason && (
            <TextArea
              label="Reason"
              hint="Required to void, appeal or dismiss; kept in the citation's history"
              maxLength={500}
              disabled={!mayAny}
              value={reason}
              error={fields.reason}
              onValue={setReason}
            />
          )}
          {offered.some((s) => s.step === "pay") && (
            <TextField
              label="Payment reference (optional)"
              maxLength={100}
              disabled={!session.can("enforcement:admin")}
              value={reference}
              error={fields.reference ?? fields.amountCents}
              onValue={setReference}
            />
          )}
          <div class="form-actions">
            {offered.map((s) => (
              <WriteButton
                scope={s.scope}
                class={s.danger ? "danger" : s.step === "pay" ? undefined : "secondary"}
                disabled={busy !== null}
                onClick={() => void run(s)}
              >
                {busy === s.step ? "Working…" : s.step === "pay" ? `${s.label} of ${money(citation.amountDueCents)}` : s.label}
              </WriteButton>
            ))}
          </div>
        </>
      )}
    </form>
  );
}
