// Driver contacts (masking, channel fit) and expiry reminder timing and wording: pure domain logic.
import { describe, expect, it } from "vitest";
import { isContactFor, maskContact, maskPersonalData } from "../../../src/domain/contacts";
import { reminderDueAt, reminderText } from "../../../src/domain/reminders";

describe("contacts", () => {
  it("fits a phone number to sms and an address to email, not the other way round", () => {
    expect(isContactFor("sms", "+12035550123")).toBe(true);
    expect(isContactFor("sms", "2035550123")).toBe(false);
    expect(isContactFor("email", "+12035550123")).toBe(false);
    expect(isContactFor("email", "driver@mail.test")).toBe(true);
    expect(isContactFor("email", "driver at mail.test")).toBe(false);
  });

  it("masks addresses and numbers, and only those, anywhere in a job's params", () => {
    expect(maskContact("driver@mail.test")).toBe("d***@mail.test");
    expect(maskContact("+12035550123")).toBe("+12*******23");
    const masked = maskPersonalData({
      to: "+12035550123",
      contacts: [{ email: "a.b@c.test", firstName: "Ada" }],
      messageId: "<abc@smtp-relay.mailin.fr>",
      amount: 5,
    });
    expect(masked).toEqual({
      to: "+12*******23",
      contacts: [{ email: "a***@c.test", firstName: "Ada" }],
      messageId: "<abc@smtp-relay.mailin.fr>",
      amount: 5,
    });
  });
});

describe("reminders", () => {
  it("fall due minutesBefore the end and name the end time in the zone's own time zone", () => {
    const end = Date.UTC(2026, 6, 1, 18, 30); // 14:30 in New York (EDT)
    expect(reminderDueAt(end, 10)).toBe(end - 600_000);
    const { subject, text } = reminderText({
      plate: "ABC123",
      zoneCode: "A1",
      zoneName: "Downtown Main Street",
      timezone: "America/New_York",
      endMs: end,
    });
    expect(subject).toBe("Your parking in A1 ends at 14:30");
    expect(text).toContain("ABC123 in Downtown Main Street (A1) ends at 14:30");
  });
});
