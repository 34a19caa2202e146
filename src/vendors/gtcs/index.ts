import type { Vendor } from "../types";
import { connector } from "./connector";

export const gtcs: Vendor = {
  id: "gtcs",
  name: "GTCS Municipal Systems",
  category: "municipal",
  auth: "api_key",
  credentialFields: [{ name: "apiKey", label: "API key", secret: true, required: true }],
  effects: {},
  connector,
};
