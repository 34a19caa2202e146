// What an officer or a camera reported, in Curbgate's terms (plates normalised, money in integer cents,
// instants in UTC ms), and how a later report of the same violation differs from what is recorded.
// A vendor's violation id is a natural key, not a request's idempotency key: the same id sent again is
// either the same report (nothing changes) or a newer version of it (the record follows). Evidence is
// only ever added, never removed, for chain of custody.
import type { EvidenceKind } from "./evidence";

export type ViolationStatus = "pending" | "issued" | "cancelled";

/** What a report says about the violation itself; every field is compared when it comes again. */
export interface ViolationFacts {
  plate: string;
  state: string | null;
  zone: string;
  violationType: string;
  description: string | null;
  fineCents: number | null;
  officerId: string | null;
  deviceId: string | null;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  weather: string | null;
  timeOfDay: string | null;
  observedAt: number;
}

/** Evidence given by URL, to be copied into Curbgate's own storage. */
export interface EvidenceByUrl {
  kind: EvidenceKind;
  url: string;
  capturedAt: number | null;
  metadata: Record<string, unknown> | null;
}

export interface ViolationReport extends ViolationFacts {
  /** "ips", "native", …: with `externalId`, the key a report is recorded under. */
  source: string;
  externalId: string;
  /** Absent: a new violation is pending, a known one keeps its status. */
  status?: ViolationStatus;
  evidence: EvidenceByUrl[];
}

const FACTS: (keyof ViolationFacts)[] = [
  "plate",
  "state",
  "zone",
  "violationType",
  "description",
  "fineCents",
  "officerId",
  "deviceId",
  "latitude",
  "longitude",
  "address",
  "weather",
  "timeOfDay",
  "observedAt",
];

/** The fields (and `status`, when the report names one) whose reported value differs from the recorded one. */
export function changedFields(recorded: ViolationFacts & { status: ViolationStatus }, report: ViolationReport): string[] {
  const changed: string[] = FACTS.filter((f) => recorded[f] !== report[f]);
  if (report.status !== undefined && report.status !== recorded.status) changed.push("status");
  return changed;
}

/** The report's evidence whose URL is not recorded yet, each URL once. */
export function unrecordedEvidence(report: EvidenceByUrl[], recordedUrls: Iterable<string | null>): EvidenceByUrl[] {
  const seen = new Set<string | null>(recordedUrls);
  const out: EvidenceByUrl[] = [];
  for (const e of report) {
    if (seen.has(e.url)) continue;
    seen.add(e.url);
    out.push(e);
  }
  return out;
}
