import type { Vendor } from "../types";
import { connector } from "./connector";

export const aims: Vendor = {
  id: "aims",
  name: "AIMS Enforcement",
  category: "enforcement",
  auth: "oauth2",
  credentialFields: [
    { name: "clientId", label: "Client id", secret: false, required: true },
    { name: "clientSecret", label: "Client secret", secret: true, required: true },
  ],
  effects: {},
  connector,
};
