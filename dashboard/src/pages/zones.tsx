import { api, ok } from "../api/client";
import { money, percent } from "../format";
import { usePoll } from "../poll";
import { Link } from "../router";
import { Columns, Freshness, Page } from "../ui/kit";

const POLL_MS = 10_000;

async function loadZones() {
  const [zones, occupancy] = await Promise.all([ok(api.GET("/v1/zones")), ok(api.GET("/v1/occupancy"))]);
  return zones.data.map((z) => ({ zone: z, live: occupancy.data.find((o) => o.zone === z.code) }));
}

export const hoursText = (windows: { days: string[]; start: string; end: string }[]) =>
  windows.length === 0 ? "never enforced" : windows.map((w) => `${w.days.join(" ")} ${w.start}–${w.end}`).join("; ");

export function Zones() {
  const poll = usePoll(loadZones, POLL_MS);
  return (
    <Page title="Zones" actions={<Freshness poll={poll} />}>
      {poll.data && (
        <table>
          <caption class="visually-hidden">Zones with their rates and live occupancy</caption>
          <Columns names={["Zone", "Rates", "Enforced", "Max stay", "Sessions now", "Occupied"]} />
          <tbody>
            {poll.data.map(({ zone, live }) => (
              <tr data-zone={zone.code}>
                <th scope="row">
                  <Link href={`/zones/${zone.code}`}>{zone.code}</Link> <span class="muted">{zone.name}</span>
                </th>
                <td>{zone.rateSlots.map((s) => `${money(s.rateCentsPerHour)}/h ${s.start}–${s.end}`).join(", ") || "free"}</td>
                <td>{hoursText(zone.enforcement)}</td>
                <td>{zone.maxStayMinutes} min</td>
                <td>{live?.activeSessions ?? "—"}</td>
                <td>
                  {live && live.occupancyRate !== null && (
                    <meter min={0} max={1} value={Math.min(1, live.occupancyRate)} aria-label={`${zone.code} occupied`} />
                  )}{" "}
                  {percent(live?.occupancyRate ?? null)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
