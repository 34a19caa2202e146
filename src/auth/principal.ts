// Who is calling: an API key or a signed-in staff member, always bound to exactly one tenant.
export const SCOPES = [
  "verify:read",
  "sessions:read",
  "sessions:write",
  "zones:read",
  "zones:write",
  "permits:read",
  "permits:write",
  "citations:read",
  "citations:write",
  "violations:read",
  "violations:write",
  "meters:read",
  "meters:write",
  "enforcement:admin",
  "keys:write",
  "audit:read",
  "integrations:read",
  "integrations:write",
  "webhooks:read",
  "webhooks:write",
  "reports:read",
  "reports:write",
  // The payment ledger and the tenant's payment routing (docs/payments.md); a city's own system paying through Teller.
  "payments:read",
  "payments:write",
  "platform:admin",
] as const;
export type Scope = (typeof SCOPES)[number];

export type Role = "platform_admin" | "tenant_admin" | "officer" | "developer" | "viewer";

const READ_SCOPES: Scope[] = [
  "verify:read",
  "sessions:read",
  "zones:read",
  "permits:read",
  "citations:read",
  "violations:read",
  "meters:read",
  "integrations:read",
  "webhooks:read",
  "reports:read",
];

export const ROLE_SCOPES: Record<Role, Scope[]> = {
  platform_admin: [...SCOPES],
  tenant_admin: SCOPES.filter((s) => s !== "platform:admin"),
  officer: [
    "verify:read",
    "sessions:read",
    "zones:read",
    "permits:read",
    "citations:read",
    "citations:write",
    "violations:read",
    "violations:write",
    "meters:read",
  ],
  developer: [...READ_SCOPES, "sessions:write"],
  viewer: [...READ_SCOPES, "audit:read", "payments:read"],
};

export interface Principal {
  kind: "api_key" | "user";
  id: string; // key id or user id
  tenantId: string;
  scopes: ReadonlySet<Scope>;
  role?: Role;
  rateLimitPerMinute: number;
}

export const actorOf = (p: Principal) => `${p.kind === "api_key" ? "key" : "user"}:${p.id}`;
