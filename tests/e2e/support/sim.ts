import { expect, type APIRequestContext } from "@playwright/test";

// The exchange's side of the story, played through the simulator's admin API.

export const simOrigin = () => process.env.E2E_SIM_ORIGIN!;
/** The admin token the web server's simulator was started with (playwright.config.ts). */
export const simAdmin = () => ({ authorization: `Bearer ${process.env.E2E_SIM_ADMIN_TOKEN!}` });

export interface SimKeyJson {
  exchange: string;
  apiKey: string;
  secret: string;
  passphrase?: string;
  label: string;
}

export async function createSimKey(request: APIRequestContext, body: Record<string, unknown>): Promise<SimKeyJson> {
  const response = await request.post(`${simOrigin()}/__admin/keys`, { data: body, headers: simAdmin() });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { key: SimKeyJson }).key;
}

export async function deleteSimKey(request: APIRequestContext, exchange: string, apiKey: string): Promise<void> {
  const response = await request.delete(`${simOrigin()}/__admin/keys/${exchange}/${encodeURIComponent(apiKey)}`, { headers: simAdmin() });
  expect(response.status(), await response.text()).toBe(200);
}
