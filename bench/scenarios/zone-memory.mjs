// What a zone with 100 000 live sessions costs in memory: workerd's RSS before and after the import.
import { importSessions } from "../lib/demo-tenant.mjs";
import { call, expectStatus } from "../lib/http.mjs";
import { fmt, log } from "../lib/print.mjs";
import { sampleRssMb } from "../lib/proc-readings.mjs";
import { settings, ZONES } from "../lib/settings.mjs";

/** Imports the large zone's sessions between two RSS readings; a short import goes into `failures`. */
export async function zoneMemory(base, adminKey, workerdPid, failures) {
  // The zone object exists and is configured before; then 100 000 sessions go in.
  await expectStatus(call(base, "GET", "/v1/zones", { key: adminKey }), 200, "list zones");
  const rssBefore = workerdPid ? await sampleRssMb(workerdPid) : NaN;
  const importedLarge = await importSessions(base, ZONES.large, settings.sessionsLarge, "import 100 000 sessions");
  const rssAfter = workerdPid ? await sampleRssMb(workerdPid) : NaN;
  log(
    `• ${ZONES.large}: ${importedLarge.imported} sessions imported in ${importedLarge.ms} ms (live ${importedLarge.live.active})`,
  );
  log(`• workerd RSS: ${fmt(rssBefore, 1)} MB before, ${fmt(rssAfter, 1)} MB after (Δ ${fmt(rssAfter - rssBefore, 1)} MB)`);
  if (importedLarge.live.active !== settings.sessionsLarge)
    failures.push(`${ZONES.large} holds ${importedLarge.live.active} live sessions, not ${settings.sessionsLarge}`);
  return { workerdPid, rssBeforeMb: rssBefore, rssAfterImportMb: rssAfter, deltaMb: rssAfter - rssBefore };
}
