import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkEvidence, sniffEvidenceType } from "../../../src/domain/evidence";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/evidence/${name}`, import.meta.url)));
/** An ISO base media file's opening: a 24-byte "ftyp" box with the given major brand. */
const ftyp = (brand: string) =>
  new Uint8Array([0, 0, 0, 24, ...Buffer.from(`ftyp${brand}`), 0, 0, 0, 0, ...Buffer.from("mif1heic")]);

describe("sniffEvidenceType", () => {
  it("knows a real JPEG and PNG by their bytes", () => {
    expect(sniffEvidenceType(fixture("plate.jpg"))).toBe("image/jpeg");
    expect(sniffEvidenceType(fixture("plate.png"))).toBe("image/png");
  });

  it("reads the major brand of an ftyp box: HEIC photos, MP4 and QuickTime videos", () => {
    expect(sniffEvidenceType(ftyp("heic"))).toBe("image/heic");
    expect(sniffEvidenceType(ftyp("mif1"))).toBe("image/heic");
    expect(sniffEvidenceType(ftyp("isom"))).toBe("video/mp4");
    expect(sniffEvidenceType(ftyp("qt  "))).toBe("video/quicktime");
    expect(sniffEvidenceType(ftyp("avif"))).toBeNull();
  });

  it("refuses text, truncated signatures and nothing at all", () => {
    expect(sniffEvidenceType(new TextEncoder().encode("<html>not a photo</html>"))).toBeNull();
    expect(sniffEvidenceType(new Uint8Array([0xff, 0xd8]))).toBeNull();
    expect(sniffEvidenceType(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(sniffEvidenceType(new Uint8Array())).toBeNull();
  });
});

describe("checkEvidence", () => {
  it("accepts a photo as a photo and says its type", () => {
    expect(checkEvidence(fixture("plate.jpg"), "PHOTO")).toEqual({ ok: true, contentType: "image/jpeg" });
  });

  it("refuses 415 for bytes of no accepted kind, and for a video sent as a photo", () => {
    expect(checkEvidence(new TextEncoder().encode("GIF89a"), "PHOTO")).toMatchObject({ ok: false, status: 415 });
    expect(checkEvidence(ftyp("mp42"), "PHOTO")).toMatchObject({
      ok: false,
      status: 415,
      detail: "The bytes are video/mp4, not a photo",
    });
  });

  it("refuses 413 one byte over the limit, and accepts exactly the limit", () => {
    const jpeg = fixture("plate.jpg");
    expect(checkEvidence(jpeg, "PHOTO", jpeg.length)).toMatchObject({ ok: true });
    expect(checkEvidence(jpeg, "PHOTO", jpeg.length - 1)).toMatchObject({ ok: false, status: 413 });
  });
});
