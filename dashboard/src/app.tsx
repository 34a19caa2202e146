// The frame every page shares: skip link, navigation, who is signed in, sign-out; and the route table.
import { useEffect, useState } from "preact/hooks";
import { session } from "./auth/session";
import { Citation } from "./pages/citation";
import { Citations } from "./pages/citations";
import { DeadLetters } from "./pages/dead-letters";
import { Integration } from "./pages/integration";
import { Integrations } from "./pages/integrations";
import { Meters } from "./pages/meters";
import { Officers } from "./pages/officers";
import { Overview } from "./pages/overview";
import { Permits } from "./pages/permits";
import { PlateLookup } from "./pages/plate-lookup";
import { SignIn } from "./pages/sign-in";
import { Violation } from "./pages/violation";
import { Violations } from "./pages/violations";
import { WebhookEvent } from "./pages/webhook-event";
import { WebhookEvents } from "./pages/webhook-events";
import { Zone } from "./pages/zone";
import { Zones } from "./pages/zones";
import { Link, match, navigate, useLocation } from "./router";

const NAV: [string, string][] = [
  ["/", "Overview"],
  ["/zones", "Zones"],
  ["/plates", "Plate lookup"],
  ["/permits", "Permits"],
  ["/citations", "Citations"],
  ["/violations", "Violations"],
  ["/officers", "Officers on shift"],
  ["/meters", "Meters"],
  ["/webhooks", "Webhook events"],
  ["/dead-letters", "Dead letters"],
  ["/integrations", "Integrations"],
];

const ROUTES: [string, (params: Record<string, string>) => preact.JSX.Element][] = [
  ["/", () => <Overview />],
  ["/zones", () => <Zones />],
  ["/zones/:code", (p) => <Zone code={p.code!} />],
  ["/plates", () => <PlateLookup />],
  ["/permits", () => <Permits />],
  ["/citations", () => <Citations />],
  ["/citations/:id", (p) => <Citation id={p.id!} />],
  ["/violations", () => <Violations />],
  ["/violations/:id", (p) => <Violation id={p.id!} />],
  ["/officers", () => <Officers />],
  ["/meters", () => <Meters />],
  ["/webhooks", () => <WebhookEvents />],
  ["/webhooks/:id", (p) => <WebhookEvent id={p.id!} />],
  ["/dead-letters", () => <DeadLetters />],
  ["/integrations", () => <Integrations />],
  ["/integrations/:provider", (p) => <Integration provider={p.provider!} />],
];

function useSession() {
  const [s, set] = useState(session.get());
  useEffect(() => session.subscribe(() => set(session.get())), []);
  return s;
}

export function App() {
  const staff = useSession();
  const { path } = useLocation();

  useEffect(() => {
    if (!staff && path !== "/sign-in") navigate(`/sign-in`, { replace: true });
    if (staff && path === "/sign-in") navigate("/", { replace: true });
  }, [staff, path]);

  if (!staff) return <SignIn />;
  const found = ROUTES.map(([pattern, page]) => [match(pattern, path), page] as const).find(([params]) => params);
  const section = `/${path.split("/")[1] ?? ""}`;

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Curbgate</span>
        <span class="who">
          <span class="tenant">{staff.user.tenantId}</span> · <span>{staff.user.email}</span>{" "}
          <span class="role">({staff.user.role.replace("_", " ")})</span>
        </span>
        <button type="button" class="secondary" onClick={() => session.end("You signed out.")}>
          Sign out
        </button>
      </header>
      <nav aria-label="Sections">
        <ul>
          {NAV.map(([href, label]) => (
            <li>
              <Link href={href} aria-current={section === href || (href === "/" && path === "/") ? "page" : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        {found ? (
          found[1](found[0]!)
        ) : (
          <p>
            No such page. <Link href="/">Back to the overview</Link>
          </p>
        )}
      </main>
    </div>
  );
}
