// One violation as reported, with each evidence item's fate: copied into Curbgate's storage (with its
// SHA-256 for chain of custody) or not copied, and why.
import { api, ok, type Schemas } from "../api/client";
import { money, size, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, ErrorNotice, Page } from "../ui/kit";
import { VIOLATION_TONE } from "./violations";

const orDash = (v: string | number | null) => (v === null || v === "" ? "—" : String(v));

function EvidenceFacts({ e, index }: { e: Schemas["Evidence"]; index: number }) {
  const stored = e.copyStatus === "stored";
  return (
    <section class="evidence-facts" aria-label={`Evidence ${index + 1}`} data-evidence={e.id}>
      <h3>
        {e.kind} {index + 1} <Badge tone={stored ? "good" : "warn"}>{stored ? "stored" : "not copied"}</Badge>
      </h3>
      <dl class="facts">
        {!stored && (
          <>
            <dt>Why not copied</dt>
            <dd class="error" data-testid="copy-error">
              {e.copyError ?? "no reason recorded"}
            </dd>
          </>
        )}
        <dt>Sent as</dt>
        <dd>{e.sourceUrl ? <code class="digest">{e.sourceUrl}</code> : "—"}</dd>
        <dt>Type by its bytes</dt>
        <dd>{orDash(e.contentType)}</dd>
        <dt>Size</dt>
        <dd>{size(e.bytes)}</dd>
        <dt>SHA-256</dt>
        <dd>{e.sha256 ? <code class="digest">{e.sha256}</code> : "—"}</dd>
        <dt>Captured</dt>
        <dd>{when(e.capturedAt)}</dd>
      </dl>
    </section>
  );
}

export function Violation({ id }: { id: string }) {
  const violation = usePoll(() => ok(api.GET("/v1/violations/{id}", { params: { path: { id } } })), 0, [id]);
  const v = violation.data;

  return (
    <Page title={v ? `Violation: ${v.plate} in ${v.zone}` : "Violation"} actions={<Link href="/violations">All violations</Link>}>
      <ErrorNotice error={violation.error} />
      {v && (
        <>
          <section class="card" aria-labelledby="vio-facts">
            <h2 id="vio-facts">What was reported</h2>
            <dl class="facts">
              <dt>Status</dt>
              <dd data-testid="violation-status">
                <Badge tone={VIOLATION_TONE[v.status]}>{v.status}</Badge>
              </dd>
              <dt>Type</dt>
              <dd>
                {v.violationType} {v.description && <span class="muted">{v.description}</span>}
              </dd>
              <dt>Plate</dt>
              <dd>
                {v.plate} {v.state && <span class="muted">{v.state}</span>}
              </dd>
              <dt>Zone</dt>
              <dd>
                <Link href={`/zones/${v.zone}`}>{v.zone}</Link>
              </dd>
              <dt>Observed</dt>
              <dd>{when(v.observedAt)}</dd>
              <dt>Fine reported</dt>
              <dd>{v.fineCents === null ? "—" : money(v.fineCents)}</dd>
              <dt>Officer</dt>
              <dd>{orDash(v.officerId)}</dd>
              <dt>Device</dt>
              <dd>{orDash(v.deviceId)}</dd>
              <dt>Location</dt>
              <dd>
                {[v.address, v.latitude !== null && v.longitude !== null ? `${v.latitude}, ${v.longitude}` : null]
                  .filter(Boolean)
                  .join(" · ") || "—"}
              </dd>
              <dt>Weather, time of day</dt>
              <dd>{[v.weather, v.timeOfDay].filter(Boolean).join(", ") || "—"}</dd>
              <dt>Source</dt>
              <dd>
                {v.source}
                {v.externalId && <span class="muted"> ({v.externalId})</span>}
              </dd>
              <dt>Citation</dt>
              <dd>{v.citationId ? <Link href={`/citations/${v.citationId}`}>{v.citationId}</Link> : "none yet"}</dd>
              <dt>Recorded, last updated</dt>
              <dd>
                {when(v.createdAt)}, {when(v.updatedAt)}
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="vio-evidence">
            <h2 id="vio-evidence">Evidence</h2>
            {v.evidence.length === 0 ? (
              <p class="empty">None was reported.</p>
            ) : (
              v.evidence.map((e, i) => <EvidenceFacts e={e} index={i} />)
            )}
            <p class="hint">
              Stored files are kept, but the API has no route yet to open a violation's file, so only its record is shown.
            </p>
          </section>
        </>
      )}
    </Page>
  );
}
