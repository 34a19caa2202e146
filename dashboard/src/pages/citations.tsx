// Citations: search by the beginning of a number or a plate, filter by status and zone, a page at a time.
import { useState } from "preact/hooks";
import { api, ok, type Schemas } from "../api/client";
import { money, when } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Badge, Columns, Empty, ErrorNotice, Page, SelectField, TextField, type Tone } from "../ui/kit";
import { Pager, useCursorPages } from "../ui/pager";

type Status = Schemas["Citation"]["status"];

/** Open citations in blue or amber, money owed past its date in red, settled ones in green or grey. */
export const CITATION_TONE: Record<Status, Tone> = {
  issued: "info",
  appealed: "warn",
  upheld: "warn",
  escalated: "bad",
  in_collections: "bad",
  paid: "good",
  voided: "neutral",
  dismissed: "neutral",
};
const STATUSES = Object.keys(CITATION_TONE) as Status[];
export const statusText = (s: string) => s.replace("_", " ");

export function Citations() {
  const [query, setQuery] = useState({ q: "", status: "", zone: "" });
  const [applied, setApplied] = useState(query);
  const pages = useCursorPages();
  const zones = usePoll(() => ok(api.GET("/v1/zones")), 0);
  const citations = usePoll(
    () =>
      ok(
        api.GET("/v1/citations", {
          params: {
            query: {
              ...(applied.q.trim() ? { q: applied.q.trim() } : {}),
              ...(applied.status ? { status: applied.status as Status } : {}),
              ...(applied.zone ? { zone: applied.zone } : {}),
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
    <Page title="Citations">
      <form
        class="row inline-form"
        role="search"
        aria-label="Citations"
        onSubmit={(e) => {
          e.preventDefault();
          pages.reset();
          setApplied(query);
        }}
      >
        <TextField
          label="Number or plate"
          hint="The beginning is enough"
          value={query.q}
          onValue={(q) => setQuery({ ...query, q })}
        />
        <SelectField
          label="Status"
          value={query.status}
          onValue={(status) => setQuery({ ...query, status })}
          options={[["", "Any status"], ...STATUSES.map((s): [string, string] => [s, statusText(s)])]}
        />
        <SelectField
          label="Zone"
          value={query.zone}
          onValue={(zone) => setQuery({ ...query, zone })}
          options={[["", "Any zone"], ...(zones.data?.data ?? []).map((z): [string, string] => [z.code, z.code])]}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNotice error={citations.error} />
      {citations.data &&
        (citations.data.data.length === 0 ? (
          <Empty>No citation matches.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Citations, most recently issued first</caption>
            <Columns names={["Number", "Plate", "Zone", "Violation", "Issued", "Amount due", "Status"]} />
            <tbody>
              {citations.data.data.map((c) => (
                <tr data-citation={c.number}>
                  <th scope="row">
                    <Link href={`/citations/${c.id}`}>{c.number}</Link>
                  </th>
                  <td>
                    {c.plate} {c.state && <span class="muted">{c.state}</span>}
                  </td>
                  <td>{c.zone}</td>
                  <td>
                    {c.violationCode} {c.description && <span class="muted">{c.description}</span>}
                  </td>
                  <td>{when(c.issuedAt)}</td>
                  <td>{money(c.amountDueCents)}</td>
                  <td>
                    <Badge tone={CITATION_TONE[c.status]}>{statusText(c.status)}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager pages={pages} nextCursor={citations.data?.nextCursor} what="citations" />
    </Page>
  );
}
