// DocuSign's PKCS#1 keys become PKCS#8 that jose imports, checked against Node's own key handling.
import { generateKeyPairSync, createPrivateKey, createPublicKey, verify } from "node:crypto";
import { SignJWT, importPKCS8 } from "jose";
import { describe, expect, it } from "vitest";
import { pkcs8Pem } from "../../../src/connectors/rsa-keys";

describe("pkcs8Pem", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

  it("wraps a PKCS#1 key into the PKCS#8 Node writes for the same key", () => {
    expect(privateKey).toContain("BEGIN RSA PRIVATE KEY");
    const expected = createPrivateKey(privateKey).export({ type: "pkcs8", format: "pem" });
    expect(pkcs8Pem(privateKey)).toBe(expected);
  });

  it("gives jose a key whose RS256 signatures verify with the public key", async () => {
    const jwt = await new SignJWT({ scope: "signature" }).setProtectedHeader({ alg: "RS256" }).setIssuer("ik").sign(await importPKCS8(pkcs8Pem(privateKey), "RS256"));
    const [h, p, s] = jwt.split(".");
    expect(verify("RSA-SHA256", Buffer.from(`${h}.${p}`), createPublicKey(publicKey), Buffer.from(s!, "base64url"))).toBe(true);
  });

  it("leaves PKCS#8 and anything else as given", () => {
    const pkcs8 = createPrivateKey(privateKey).export({ type: "pkcs8", format: "pem" }) as string;
    expect(pkcs8Pem(pkcs8)).toBe(pkcs8);
    expect(pkcs8Pem("not a key")).toBe("not a key");
  });
});
