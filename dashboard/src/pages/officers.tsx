// Officers on shift now: shifts whose end has not been reported (a shift whose end was lost stays open
// until the officer's next start, docs/enforcement.md).
import { api, ok } from "../api/client";
import { ago, when } from "../format";
import { usePoll } from "../poll";
import { Columns, Empty, ErrorNotice, Freshness, Page } from "../ui/kit";
import { Pager, useCursorPages } from "../ui/pager";

export function Officers() {
  const pages = useCursorPages();
  const shifts = usePoll(
    () =>
      ok(
        api.GET("/v1/officers/shifts", {
          params: { query: { open: "true", limit: 100, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
    30_000,
    [pages.cursor],
  );

  return (
    <Page title="Officers on shift" actions={<Freshness poll={shifts} />}>
      <ErrorNotice error={shifts.error} />
      {shifts.data &&
        (shifts.data.data.length === 0 ? (
          <Empty>Nobody is on shift.</Empty>
        ) : (
          <table>
            <caption class="visually-hidden">Open shifts, latest start first</caption>
            <Columns names={["Officer", "Device", "Zones", "On shift since", "Reported by"]} />
            <tbody>
              {shifts.data.data.map((s) => (
                <tr data-officer={s.officerId}>
                  <th scope="row">
                    {s.officerName ?? s.officerId} {s.officerName && <span class="muted">{s.officerId}</span>}
                  </th>
                  <td>{s.deviceId ?? "—"}</td>
                  <td>{s.zones?.length ? s.zones.join(", ") : "—"}</td>
                  <td>
                    {when(s.startedAt)} <span class="muted">({ago(s.startedAt)})</span>
                  </td>
                  <td>{s.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager pages={pages} nextCursor={shifts.data?.nextCursor} what="shifts" />
    </Page>
  );
}
