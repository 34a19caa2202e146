// Violations: what officers and cameras reported, filtered by zone, plate, officer and status, a page at a
// time. Each row says what became of its evidence, since a copy that failed is only visible here.
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../api/client";
import { money, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, ErrorNotice, Page, SelectField, TextField, type Tone } from "../ui/kit";
import { Pager, useCursorPages } from "../ui/pager";

type Status = Schemas["Violation"]["status"];
type Evidence = Schemas["Evidence"];

export const VIOLATION_TONE: Record<Status, Tone> = { pending: "warn", issued: "info", cancelled: "neutral" };

/** "PHOTO stored", "VIDEO not copied: the server answered HTTP 404". */
export const copyText = (e: Evidence) =>
  e.copyStatus === "stored" ? `${e.kind} stored` : `${e.kind} not copied: ${e.copyError ?? "no reason recorded"}`;

export function Violations() {
  const [query, setQuery] = useState({ zone: "", plate: "", officer: "", status: "" });
  const [applied, setApplied] = useState(query);
  const pages = useCursorPages();
  const zones = usePoll(() => ok(api.GET("/v1/zones")), 0);
  const violations = usePoll(
    () =>
      ok(
        api.GET("/v1/violations", {
          params: {
            query: {
              ...(applied.zone ? { zone: applied.zone } : {}),
              ...(applied.plate.trim() ? { plate: applied.plate.trim() } : {}),
              ...(applied.officer.trim() ? { officer: applied.officer.trim() } : {}),
              ...(applied.status ? { status: applied.status as Status } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              limit: 50,
            },
          },
        }),
      ),
    0,
    [applied, pages.cursor],
  );

  return (
    <Page title="Violations">
      <form
        class="row inline-form"
        role="search"
        aria-label="Violations"
        onSubmit={(e) => {
          e.preventDefault();
          pages.reset();
          setApplied(query);
        }}
      >
        <SelectField
          label="Zone"
          value={query.zone}
          onValue={(zone) => setQuery({ ...query, zone })}
          options={[["", "Any zone"], ...(zones.data?.data ?? []).map((z): [string, string] => [z.code, z.code])]}
        />
        <TextField label="Plate" value={query.plate} onValue={(plate) => setQuery({ ...query, plate })} />
        <TextField
          label="Officer"
          placeholder="officer_123"
          value={query.officer}
          onValue={(officer) => setQuery({ ...query, officer })}
        />
        <SelectField
          label="Status"
          value={query.status}
          onValue={(status) => setQuery({ ...query, status })}
          options={[
            ["", "Any status"],
            ["pending", "pending"],
            ["issued", "issued"],
            ["cancelled", "cancelled"],
          ]}
        />
        <button type="submit">Filter</button>
      </form>
      <ErrorNotice error={violations.error} />
      {violations.data &&
        (violations.data.data.length === 0 ? (
          <Empty>No violation matches.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Violations, most recently observed first</caption>
            <Columns names={["Observed", "Plate", "Zone", "Type", "Officer", "Fine", "Status", "Evidence"]} />
            <tbody>
              {violations.data.data.map((v) => (
                <tr data-violation={v.id}>
                  <th scope="row">
                    <Link href={`/violations/${v.id}`}>{when(v.observedAt)}</Link>
                  </th>
                  <td>
                    {v.plate} {v.state && <span class="muted">{v.state}</span>}
                  </td>
                  <td>{v.zone}</td>
                  <td>{v.violationType}</td>
                  <td>{v.officerId ?? "—"}</td>
                  <td>{v.fineCents === null ? "—" : money(v.fineCents)}</td>
                  <td>
                    <Badge tone={VIOLATION_TONE[v.status]}>{v.status}</Badge>
                  </td>
                  <td>
                    {v.evidence.length === 0 ? (
                      <span class="muted">none</span>
                    ) : (
                      <ul class="plain">
                        {v.evidence.map((e) => (
                          <li class={e.copyStatus === "stored" ? undefined : "error"}>{copyText(e)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager pages={pages} nextCursor={violations.data?.nextCursor} what="violations" />
    </Page>
  );
}
