// The dashboard's building blocks: page frame, notices, badges, form fields and write buttons that
// know the signed-in role.
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Scope } from "../../../src/auth/principal";
import { messageOf } from "../api/client";
import { session } from "../auth/session";
import { ago } from "../format";
import type { Polled } from "../poll";

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Curbgate`;
    heading.current?.focus({ preventScroll: true }); // a page change is announced by its heading
  }, [props.title]);
  return (
    <>
      <header class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </>
  );
}

export type Tone = "good" | "warn" | "bad" | "info" | "neutral";

export const Badge = (p: { tone: Tone; children: ComponentChildren; label?: string }) => (
  <span class={`badge badge-${p.tone}`} aria-label={p.label}>
    {p.children}
  </span>
);

export function Notice(p: { tone: "error" | "info" | "success"; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${p.tone}`} role={p.tone === "error" ? "alert" : "status"}>
      {p.children}
    </div>
  );
}

export const ErrorNotice = ({ error }: { error: unknown }) => (error ? <Notice tone="error">{messageOf(error)}</Notice> : null);

/** What a page shows where a feature's API route is not on this server yet (it answered 404). */
export const NotAvailable = (p: { what: string; path: string }) => (
  <div class="notice notice-info not-available" role="status">
    <strong>{p.what} is not available on this server yet.</strong> The API does not offer <code>{p.path}</code>; this section
    lights up once it does.
  </div>
);

/** "Updated 4 s ago", or a warning that the data on screen is stale. */
export function Freshness<T>({ poll }: { poll: Polled<T> }) {
  if (poll.updatedAt === null) return <p class="freshness">{poll.error ? <ErrorNotice error={poll.error} /> : "Loading…"}</p>;
  return (
    <p
      class={`freshness${poll.stale ? " stale" : ""}`}
      role="status"
      aria-live="polite"
      data-stale={poll.stale ? "true" : "false"}
    >
      {poll.stale ? "Stale: " : ""}updated {ago(poll.updatedAt)}
      {poll.error ? ` — the last refresh failed: ${messageOf(poll.error)}` : ""}
    </p>
  );
}

let ids = 0;
const useId = () => {
  const id = useRef<string>();
  if (!id.current) id.current = `f${++ids}`;
  return id.current;
};

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "onInput" | "value" | "label"> & {
  value: string;
  onValue: (v: string) => void;
};

/** A labelled input with its error shown inline and announced. */
export function TextField(p: { label: string; error?: string; hint?: string } & InputProps) {
  const { label, error, hint, onValue, ...input } = p;
  const id = useId();
  const described = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        {...input}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="error">
          {error}
        </small>
      )}
    </div>
  );
}

/** A labelled multi-line field, e.g. the reason for a step, with its error shown inline and announced. */
export function TextArea(p: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string;
  hint?: string;
  disabled?: boolean;
  rows?: number;
  maxLength?: number;
}) {
  const id = useId();
  const described = [p.error ? `${id}-error` : "", p.hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${p.error ? " field-invalid" : ""}`}>
      <label for={id}>{p.label}</label>
      <textarea
        id={id}
        class="prose"
        rows={p.rows ?? 2}
        maxLength={p.maxLength}
        disabled={p.disabled}
        value={p.value}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={described}
        onInput={(e) => p.onValue(e.currentTarget.value)}
      />
      {p.hint && (
        <small id={`${id}-hint`} class="hint">
          {p.hint}
        </small>
      )}
      {p.error && (
        <small id={`${id}-error`} class="error">
          {p.error}
        </small>
      )}
    </div>
  );
}

export function SelectField(p: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  options: [string, string][];
  error?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div class={`field${p.error ? " field-invalid" : ""}`}>
      <label for={id}>{p.label}</label>
      <select
        id={id}
        value={p.value}
        required={p.required}
        aria-invalid={p.error ? "true" : undefined}
        aria-describedby={p.error ? `${id}-error` : undefined}
        onChange={(e) => p.onValue(e.currentTarget.value)}
      >
        {p.options.map(([value, label]) => (
          <option value={value}>{label}</option>
        ))}
      </select>
      {p.error && (
        <small id={`${id}-error`} class="error">
          {p.error}
        </small>
      )}
    </div>
  );
}

/** A button for a change: disabled, with the reason, when the signed-in role lacks the scope. */
export function WriteButton(p: { scope: Scope; children: ComponentChildren } & JSX.ButtonHTMLAttributes<HTMLButtonElement>) {
  const { scope, children, ...rest } = p;
  const allowed = session.can(scope);
  return (
    <button
      type="button"
      {...rest}
      disabled={!allowed || !!rest.disabled}
      title={allowed ? rest.title : `Your role cannot do this (needs ${scope})`}
      data-write={scope}
    >
      {children}
    </button>
  );
}

export const Json = ({ value }: { value: unknown }) => (
  <pre class="json">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
);

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="empty">{children}</p>;

/** A table's column headings; `actions` adds an unlabelled-looking (but named) column for row buttons. */
export const Columns = ({ names, actions }: { names: string[]; actions?: boolean }) => (
  <thead>
    <tr>
      {names.map((n) => (
        <th scope="col">{n}</th>
      ))}
      {actions && (
        <th scope="col">
          <span class="visually-hidden">Actions</span>
        </th>
      )}
    </tr>
  </thead>
);

/** Name–value rows, e.g. masked credentials or request headers. */
export const KeyValues = ({ rows, caption }: { rows: [string, string][]; caption?: string }) => (
  <table class="kv">
    {caption && <caption class="visually-hidden">{caption}</caption>}
    <tbody>
      {rows.map(([k, v]) => (
        <tr>
          <th scope="row">{k}</th>
          <td>
            <code>{v}</code>
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);
