// A small history router under the app's base path (/admin/): pages are plain paths like "/zones/A1".
import { h, type ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");
const listeners = new Set<() => void>();
addEventListener("popstate", () => listeners.forEach((l) => l()));

export function currentPath() {
  const p = decodeURI(location.pathname);
  return p.startsWith(BASE) ? p.slice(BASE.length) || "/" : "/";
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  history[opts.replace ? "replaceState" : "pushState"](null, "", BASE + to);
  listeners.forEach((l) => l());
}

/** The current path and query; re-renders on navigation. */
export function useLocation() {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { path: currentPath(), query: new URLSearchParams(location.search) };
}

/** "/zones/:code" against "/zones/A1" → { code: "A1" }, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split("/").filter(Boolean);
  const b = path.split("/").filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(":")) params[a[i]!.slice(1)] = b[i]!;
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; "aria-current"?: "page" | undefined }) {
  const { href, children, ...rest } = props;
  return h(
    "a",
    {
      ...rest,
      href: BASE + href,
      onClick: (e: MouseEvent) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      },
    },
    children,
  );
}
