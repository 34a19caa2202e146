// DocuSign's PKCS#1 keys become PKCS#8 that jose imports, checked against Node's own key handling
// (node:crypto loaded untyped, as in test/unit/vendors/node-crypto.ts: the repo has no @types/node).
import { SignJWT, importPKCS8 } from "jose";
import { describe, expect, it } from "vitest";
import { pkcs8Pem } from "../../../../src/vendors/docusign/rsa-keys";

interface KeyObject {
  export(o: { type: string; format: "pem" }): string;
}
interface NodeRsa {
  generateKeyPairSync(type: "rsa", o: Record<string, unknown>): { privateKey: string; publicKey: string };
  createPrivateKey(pem: string): KeyObject;
  createPublicKey(pem: string): KeyObject;
  verify(alg: string, data: Uint8Array, key: KeyObject, sig: Uint8Array): boolean;
}
const moduleName: string = "node:crypto";
const node = (await import(/* @vite-ignore */ moduleName)) as NodeRsa;
const b64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));

describe("pkcs8Pem", () => {
  const { privateKey, publicKey } = node.generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

  it("wraps a PKCS#1 key into the PKCS#8 Node writes for the same key", () => {
    expect(privateKey).toContain("BEGIN RSA PRIVATE KEY");
    expect(pkcs8Pem(privateKey)).toBe(node.createPrivateKey(privateKey).export({ type: "pkcs8", format: "pem" }));
  });

  it("gives jose a key whose RS256 signatures verify with the public key", async () => {
    const jwt = await new SignJWT({ scope: "signature" })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer("ik")
      .sign(await importPKCS8(pkcs8Pem(privateKey), "RS256"));
    const [h, p, s] = jwt.split(".");
    expect(node.verify("RSA-SHA256", new TextEncoder().encode(`${h}.${p}`), node.createPublicKey(publicKey), b64url(s!))).toBe(
      true,
    );
  });

  it("leaves PKCS#8 and anything else as given", () => {
    const pkcs8 = node.createPrivateKey(privateKey).export({ type: "pkcs8", format: "pem" });
    expect(pkcs8Pem(pkcs8)).toBe(pkcs8);
    expect(pkcs8Pem("not a key")).toBe("not a key");
  });
});
