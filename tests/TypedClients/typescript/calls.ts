// Calls an integrator or the SPA makes with a client generated from openapi.yaml (openapi-typescript + openapi-fetch).
// `npm run check` must compile the correct calls and must reject each wrong one: every `@ts-expect-error` below fails
// the check if the line under it compiles, so the document cannot loosen a rule without this file noticing.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:5080" });
type Schemas = components["schemas"];

export async function correctCalls(token: string): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };

  const created = await api.POST("/api/v1/kpis", {
    headers: auth,
    body: {
      key: "first-pass-yield",
      name: "First pass yield",
      valueType: "percentage",
      frequency: "weekly",
      target: { comparator: "atLeast", value: 95, warning: 90 },
      tags: ["manufacturing"],
    },
  });
  const kpi: Schemas["KpiResponse"] | undefined = created.data;
  const problem: Schemas["HttpValidationProblemDetails"] | Schemas["ProblemDetails"] | undefined = created.error;
  if (problem && "errors" in problem) console.log(problem.errors["key"], problem.code, problem.traceId);

  // A push needs no source: the server records it as api.
  await api.POST("/api/v1/kpis/{idOrKey}/measurements", {
    params: { path: { idOrKey: "defect-rate" }, header: { "Idempotency-Key": crypto.randomUUID() } },
    headers: auth,
    body: { period: "2026-07-14", value: 1.8 },
  });
  await api.POST("/api/v1/kpis/{idOrKey}/measurements", {
    params: { path: { idOrKey: "audit-passed" } },
    headers: auth,
    body: { period: "2026-07-14", value: true, source: "manual" },
  });

  const batch = await api.POST("/api/v1/measurements/batch", {
    params: { query: { mode: "partial" } },
    headers: auth,
    body: { items: [{ kpi: "defect-rate", period: "2026-07-14", value: 2.1 }] },
  });
  const results: Schemas["ItemOutcome"][] | undefined = batch.data?.items;
  console.log(results?.map((item) => item.result satisfies "created" | "updated" | "unchanged" | "rejected"));

  await api.POST("/api/v1/tokens", {
    body: { name: "line 3 pusher", scopes: ["measurements:write", "kpis:read"], expiresInDays: 90 },
  });

  const read = await api.GET("/api/v1/kpis/{idOrKey}", { params: { path: { idOrKey: "defect-rate" } }, headers: auth });
  if (read.data) {
    await api.PUT("/api/v1/kpis/{idOrKey}", {
      params: { path: { idOrKey: "defect-rate" }, header: { "If-Match": read.response.headers.get("ETag") ?? "*" } },
      headers: auth,
      body: { ...read.data, target: { comparator: "atMost", value: 1.5, warning: 3 } },
    });
  }

  const dashboard = await api.GET("/api/v1/dashboard/kpis", { params: { query: { status: "late", limit: 50 } }, headers: auth });
  for (const item of dashboard.data?.items ?? []) {
    const shown: "onTarget" | "atRisk" | "offTarget" | "noData" | "late" = item.displayStatus;
    const latest: number | boolean | null | undefined = item.latest?.value;
    const percent: number | null = item.changePercent;
    console.log(shown, latest, percent);
  }

  await api.GET("/api/v1/objectives", { params: { query: { kpiKey: "nps" } }, headers: auth });
}

export async function wrongCalls(token: string): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };

  // 1. A KPI without its value type.
  await api.POST("/api/v1/kpis", {
    headers: auth,
    // @ts-expect-error valueType is required
    body: { key: "nps", name: "Net promoter score", frequency: "monthly", target: { comparator: "atLeast", value: 40 } },
  });

  // 2. A measurement value sent as a string.
  await api.POST("/api/v1/kpis/{idOrKey}/measurements", {
    params: { path: { idOrKey: "nps" } },
    headers: auth,
    // @ts-expect-error value is a number or a boolean, never a string
    body: { period: "2026-07", value: "12" },
  });

  // 3. A misspelt batch mode.
  await api.POST("/api/v1/measurements/batch", {
    // @ts-expect-error mode is atomic or partial
    params: { query: { mode: "paritial" } },
    headers: auth,
    body: { items: [{ kpi: "nps", period: "2026-07", value: 41 }] },
  });

  // 4. A scope that does not exist (the scopes are plural: kpis:write).
  await api.POST("/api/v1/tokens", {
    // @ts-expect-error "kpi:write" is not a scope
    body: { name: "pusher", scopes: ["kpi:write"], expiresInDays: 30 },
  });

  // 5. A full replacement without If-Match (the server answers 428).
  await api.PUT("/api/v1/kpis/{idOrKey}", {
    // @ts-expect-error If-Match is required
    params: { path: { idOrKey: "nps" } },
    headers: auth,
    body: { key: "nps", name: "NPS", valueType: "number", frequency: "monthly", target: { comparator: "atLeast", value: 40 } },
  });

  // 6. A measurement without its period.
  await api.POST("/api/v1/kpis/{idOrKey}/measurements", {
    params: { path: { idOrKey: "nps" } },
    headers: auth,
    // @ts-expect-error period is required
    body: { value: 41 },
  });

  // 7. A token that never expires.
  await api.POST("/api/v1/tokens", {
    // @ts-expect-error expiresInDays is required
    body: { name: "forever", scopes: ["kpis:read"] },
  });

  // 8. A batch without its items.
  await api.POST("/api/v1/kpis/{idOrKey}/measurements/batch", {
    params: { path: { idOrKey: "nps" } },
    headers: auth,
    // @ts-expect-error items is required
    body: {},
  });

  // 9. A source the server does not know.
  await api.POST("/api/v1/kpis/{idOrKey}/measurements", {
    params: { path: { idOrKey: "nps" } },
    headers: auth,
    // @ts-expect-error source is manual, api, import or computed
    body: { period: "2026-07", value: 41, source: "jira" },
  });

  // 10. A dashboard status filter that is not one.
  // @ts-expect-error status is onTarget, atRisk, offTarget, noData or late
  await api.GET("/api/v1/dashboard/kpis", { params: { query: { status: "green" } }, headers: auth });

  // 11. Reading a dashboard value as a string.
  const dashboard = await api.GET("/api/v1/dashboard/kpis", { headers: auth });
  // @ts-expect-error a value is a number or a boolean
  const text: string | undefined = dashboard.data?.items[0]?.latest?.value;
  console.log(text);
}
