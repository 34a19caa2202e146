// Shared by the violation tests: the Stamford guide's violation report (the contract fixture) with the
// parts a test changes, the evidence fixtures as bytes, and a stand-in for the internet that evidence
// URLs are fetched from (global fetch, spied on: workerd runs the worker in the test's isolate).
import { vi } from "vitest";
import guideReport from "../../../fixtures/enforcement/ips-violation.json";
import plateJpgUrl from "../../../fixtures/evidence/plate.jpg?inline";
import platePngUrl from "../../../fixtures/evidence/plate.png?inline";
import { uniq } from "../../fixtures";

export { guideReport };

const bytesOf = (dataUrl: string) => Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(",") + 1)), (c) => c.charCodeAt(0));
export const PLATE_JPG = bytesOf(plateJpgUrl);
export const PLATE_PNG = bytesOf(platePngUrl);
/** An MP4's first box (ftyp, brand isom): enough for the magic-number check. */
export const MP4_HEAD = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0]);

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

type Report = typeof guideReport & Record<string, unknown>;

/** The guide's report with a fresh violationId, observed a minute ago, in `zone`, without evidence unless given. */
export function report(zone: string, overrides: Record<string, unknown> = {}): Report {
  const { evidence: _, ...rest } = guideReport;
  return {
    ...rest,
    violationId: `ips_viol_${uniq(10)}`,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    location: { ...guideReport.location, zoneNumber: zone },
    ...overrides,
  } as Report;
}

/** What each URL answers: a Response, or an Error to throw (unreachable). Anything else is a 404. */
export type Web = Record<string, (() => Response | Promise<Response>) | Error>;

/** Serves `web` to the worker's outbound fetch until the returned spy is restored; records the URLs asked for. */
export function serveWeb(web: Web) {
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    const answer = web[url];
    if (answer instanceof Error) throw answer;
    return answer ? answer() : new Response("not here", { status: 404 });
  });
}

export const photo =
  (bytes: Uint8Array = PLATE_JPG, type = "image/jpeg") =>
  () =>
    new Response(bytes, { headers: { "content-type": type, "content-length": String(bytes.length) } });
