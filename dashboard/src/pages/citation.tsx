// One citation: what was written and what is owed, what the plate check said when it was written, the
// evidence, every step of its history, and the steps staff may take next.
import { api, ok } from "../api/client";
import { money, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, ErrorNotice, Page } from "../ui/kit";
import { CitationActions } from "./citation-actions";
import { EvidenceItem } from "./citation-evidence";
import { CITATION_TONE, statusText } from "./citations";

const place = (l: { address: string | null; latitude: number | null; longitude: number | null }) =>
  [l.address, l.latitude !== null && l.longitude !== null ? `${l.latitude}, ${l.longitude}` : null].filter(Boolean).join(" · ") ||
  "—";

export function Citation({ id }: { id: string }) {
  const citation = usePoll(() => ok(api.GET("/v1/citations/{id}", { params: { path: { id } } })), 0, [id]);
  const c = citation.data;
  const check = c?.plateCheck;

  return (
    <Page title={c ? `Citation ${c.number}` : "Citation"} actions={<Link href="/citations">All citations</Link>}>
      <ErrorNotice error={citation.error} />
      {c && (
        <>
          <section class="card" aria-labelledby="cit-summary">
            <h2 id="cit-summary">Summary</h2>
            <dl class="figures">
              <div>
                <dt>Status</dt>
                <dd data-testid="citation-status">
                  <Badge tone={CITATION_TONE[c.status]}>{statusText(c.status)}</Badge>
                </dd>
              </div>
              <div>
                <dt>Amount due</dt>
                <dd data-testid="amount-due">{money(c.amountDueCents)}</dd>
              </div>
              <div>
                <dt>Fine</dt>
                <dd>{money(c.fineCents)}</dd>
              </div>
              {c.lateFeeCents > 0 && (
                <div>
                  <dt>Late fee</dt>
                  <dd>{money(c.lateFeeCents)}</dd>
                </div>
              )}
            </dl>
          </section>
          <section class="card" aria-labelledby="cit-facts">
            <h2 id="cit-facts">What was written</h2>
            <dl class="facts">
              <dt>Plate</dt>
              <dd>
                {c.plate} {c.state && <span class="muted">{c.state}</span>}
              </dd>
              <dt>Zone</dt>
              <dd>
                <Link href={`/zones/${c.zone}`}>{c.zone}</Link>
              </dd>
              <dt>Violation</dt>
              <dd>
                {c.violationCode} {c.description && <span class="muted">{c.description}</span>}
              </dd>
              <dt>Issued</dt>
              <dd>{when(c.issuedAt)}</dd>
              <dt>Officer</dt>
              <dd>
                {[c.officer.name, c.officer.badge && `badge ${c.officer.badge}`, c.officer.id].filter(Boolean).join(" · ") || "—"}
              </dd>
              <dt>Device</dt>
              <dd>{c.deviceId ?? "—"}</dd>
              <dt>Location</dt>
              <dd>{place(c.location)}</dd>
              <dt>Source</dt>
              <dd>{c.source}</dd>
              {c.violationId && (
                <>
                  <dt>Violation record</dt>
                  <dd>
                    <Link href={`/violations/${c.violationId}`}>{c.violationId}</Link>
                  </dd>
                </>
              )}
              <dt>Plate check when written</dt>
              <dd data-testid="plate-check">
                {check?.status ?? "not checked"}
                {check?.fuzzy && " (a fuzzy match only)"}
              </dd>
              {check?.overrideReason && (
                <>
                  <dt>Issued despite the check, because</dt>
                  <dd data-testid="override-reason">{check.overrideReason}</dd>
                </>
              )}
              {c.paidAt && (
                <>
                  <dt>Paid</dt>
                  <dd>{when(c.paidAt)}</dd>
                </>
              )}
              {c.escalatedAt && (
                <>
                  <dt>Escalated</dt>
                  <dd>{when(c.escalatedAt)}</dd>
                </>
              )}
              {c.collectionsAt && (
                <>
                  <dt>Sent to collections</dt>
                  <dd>{when(c.collectionsAt)}</dd>
                </>
              )}
            </dl>
          </section>
          <section class="card" aria-labelledby="cit-evidence">
            <h2 id="cit-evidence">Evidence</h2>
            {c.evidence.length === 0 ? (
              <p class="empty">None was sent with this citation.</p>
            ) : (
              <div class="evidence-list">
                {c.evidence.map((e, i) => (
                  <EvidenceItem key={e.id} citationId={c.id} number={c.number} item={e} index={i} />
                ))}
              </div>
            )}
          </section>
          <CitationActions citation={c} onChanged={citation.reload} />
          <section class="card" aria-labelledby="cit-history">
            <h2 id="cit-history">History</h2>
            <table data-testid="history">
              <caption class="visually-hidden">Each step of the citation, oldest first</caption>
              <Columns names={["When", "Action", "From", "To", "Reason", "By"]} />
              <tbody>
                {c.transitions.map((t) => (
                  <tr>
                    <th scope="row">{when(t.at)}</th>
                    <td>{t.action}</td>
                    <td>{t.from ? statusText(t.from) : "—"}</td>
                    <td>{statusText(t.to)}</td>
                    <td>{t.reason ?? ""}</td>
                    <td>{t.actor}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </Page>
  );
}
