import { describe, expect, it } from "vitest";
import {
  isSessionId,
  newSessionId,
  SESSION_ID_PATTERN,
  SESSION_TOKEN_LENGTH,
  zoneOfSessionId,
} from "../../../src/domain/session-id";

const TOKEN = "4Fh8kPq2xZt9mWc3bNv7";

describe("session ids", () => {
  it("name their zone, and the zone comes back out", () => {
    expect(TOKEN).toHaveLength(SESSION_TOKEN_LENGTH);
    expect(newSessionId("A1", TOKEN)).toBe("ses_A1_4Fh8kPq2xZt9mWc3bNv7");
    expect(zoneOfSessionId(newSessionId("A1", TOKEN))).toBe("A1");
    // zone codes may hold dashes (ZoneCode), never underscores, so the split is unambiguous
    expect(zoneOfSessionId(newSessionId("HARBOR-2", TOKEN))).toBe("HARBOR-2");
    expect(isSessionId(newSessionId("HARBOR-2", TOKEN))).toBe(true);
  });

  it.each([
    ["no zone", `ses__${TOKEN}`],
    ["zone too long", `ses_${"Z".repeat(17)}_${TOKEN}`],
    ["token too short", "ses_A1_4Fh8kPq2xZt9mWc3bNv"],
    ["token too long", `ses_A1_${TOKEN}x`],
    ["underscore in the zone", `ses_A_1_${TOKEN}`],
    ["another prefix", `pay_A1_${TOKEN}`],
    ["a test's short id", "ses_1"],
  ])("refuses %s", (_why, id) => {
    expect(isSessionId(id)).toBe(false);
    expect(SESSION_ID_PATTERN.test(id)).toBe(false);
  });
});
