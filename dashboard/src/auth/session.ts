// The signed-in staff member: token, its expiry and the user, kept in this tab's sessionStorage (gone
// when the tab closes, never in localStorage or a cookie), refreshed a minute before it expires, and
// forgotten on sign-out or when the API refuses it.
import { ROLE_SCOPES, type Role, type Scope } from "../../../src/auth/principal";

export interface StaffSession {
  token: string;
  expiresAt: string;
  sessionExpiresAt: string;
  user: { id: string; email: string; role: string; tenantId: string };
}

const KEY = "curbgate.staff";
const REFRESH_AHEAD_MS = 60_000;

let current: StaffSession | null = load();
let notice: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let refresher: ((s: StaffSession) => Promise<StaffSession>) | null = null;
const listeners = new Set<() => void>();

function load(): StaffSession | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as StaffSession | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function set(next: StaffSession | null, why: string | null = null) {
  current = next;
  notice = why;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  schedule();
  for (const l of listeners) l();
}

function schedule() {
  clearTimeout(timer);
  if (!current || !refresher) return;
  const due = Date.parse(current.expiresAt) - REFRESH_AHEAD_MS - Date.now();
  timer = setTimeout(
    async () => {
      const s = current;
      if (!s || !refresher) return;
      try {
        set(await refresher(s));
      } catch (err) {
        if (current !== s) return;
        // The API said no (sign-in over 12 hours old, user removed): sign out now. A network blip: try
        // again in a few seconds, until the token itself runs out.
        const refused = [401, 403].includes((err as { status?: number }).status ?? 0);
        if (refused || Date.parse(s.expiresAt) <= Date.now() + 5_000) set(null, "Your session has ended. Sign in again.");
        else timer = setTimeout(schedule, 5_000);
      }
    },
    Math.max(1_000, due),
  );
}

export const session = {
  get: () => current,
  token: () => current?.token ?? null,
  /** Why the last session ended, for the sign-in page. */
  notice: () => notice,
  start: (s: StaffSession) => set(s),
  /** Sign-out: the token is dropped from memory and storage at once. */
  end: (why: string | null = null) => set(null, why),
  /** How a token is refreshed (the API call lives beside the client, which depends on this module). */
  useRefresher(fn: (s: StaffSession) => Promise<StaffSession>) {
    refresher = fn;
    schedule();
  },
  subscribe(fn: () => void) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  /** What the signed-in role may do; the API enforces the same scopes (src/auth/principal.ts). */
  can(scope: Scope) {
    const role = current?.user.role as Role | undefined;
    return !!role && Object.hasOwn(ROLE_SCOPES, role) && ROLE_SCOPES[role].includes(scope);
  },
};
