// /openapi.json is generated from the same zod schemas that validate requests; /docs renders it.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Curbgate API reference</title>
  <link rel="icon" href="/vendor/swagger-ui/favicon-32x32.png">
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#reference", deepLinking: true, persistAuthorization: true });
  </script>
</body>
</html>`;

export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`cg_…`) or a staff JWT from POST /v1/auth/login",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Curbgate API",
      version: "1.0.0",
      description: "Plate checks at the edge, parking sessions, zones and permits for cities. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
  });
  app.get("/docs", (c) => c.html(PAGE));
}
