import type { Provider } from "../types";

export const aims: Provider = {
  id: "aims",
  name: "AIMS Enforcement",
  category: "enforcement",
  auth: "oauth2",
  credentialFields: [
    { name: "clientId", label: "Client id", secret: false, required: true },
    { name: "clientSecret", label: "Client secret", secret: true, required: true },
  ],
  effects: {},
};
