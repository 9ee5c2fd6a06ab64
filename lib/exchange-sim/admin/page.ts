// The plain HTML page at GET /__admin: what people trying the demo see. It must say, before
// anything else, that this is a simulated exchange and the keys are fake.

import type { SimExchange, SimKey } from "../types";

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

const NAMES: Record<SimExchange, string> = { binance: "Binance", okx: "OKX", bybit: "Bybit", kucoin: "KuCoin", gate: "Gate" };

function permissionList(k: SimKey): string {
  const on = Object.entries(k.permissions)
    .filter(([, v]) => v)
    .map(([p]) => p);
  return on.length > 0 ? on.join(", ") : "none";
}

function keyRow(k: SimKey, now: number): string {
  const path = `/__admin/keys/${k.exchange}/${encodeURIComponent(k.apiKey)}`;
  const expired = k.expiresAt !== null && k.expiresAt.getTime() <= now;
  return `<tr>
  <td>${esc(k.label)}</td>
  <td><code>${esc(k.apiKey)}</code>
    <details><summary>secret${k.passphrase ? " and passphrase" : ""}</summary>
      <div>secret: <code>${esc(k.secret)}</code></div>
      ${k.passphrase ? `<div>passphrase: <code>${esc(k.passphrase)}</code></div>` : ""}
    </details></td>
  <td>${esc(permissionList(k))}</td>
  <td>${k.ipWhitelist.length > 0 ? esc(k.ipWhitelist.join(", ")) : "any IP"}</td>
  <td>${esc(k.createdAt.toISOString().slice(0, 16).replace("T", " "))}</td>
  <td>${k.expiresAt ? `${esc(k.expiresAt.toISOString().slice(0, 10))}${expired ? " (expired)" : ""}` : "never"}</td>
  <td><form method="post" action="${esc(path)}/delete"><button type="submit">Delete</button></form></td>
</tr>`;
}

export function adminPage(keys: SimKey[], origin: string, now: number): string {
  const sections = (["binance", "okx", "bybit", "kucoin", "gate"] as const)
    .map((ex) => {
      const rows = keys.filter((k) => k.exchange === ex);
      return `<h2>${NAMES[ex]} (simulated)</h2>
${
  rows.length === 0
    ? "<p>No keys.</p>"
    : `<table><thead><tr><th>Label</th><th>API key</th><th>Permissions</th><th>IP whitelist</th><th>Created (UTC)</th><th>Expires</th><th></th></tr></thead>
<tbody>${rows.map((k) => keyRow(k, now)).join("\n")}</tbody></table>`
}`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SIMULATED exchange - API key management</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:72rem;color:#1a1a1a}
.banner{background:#fff3cd;border:2px solid #b58900;padding:1rem;border-radius:6px;font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
code{word-break:break-all;font-size:.85rem}button{cursor:pointer}form.inline{display:inline}
</style></head>
<body>
<div class="banner" role="alert"><strong>SIMULATED EXCHANGE.</strong> This is a local test simulator at
<code>${esc(origin)}</code>, not Binance, OKX or Bybit. The keys below are fake: they only work against this
simulator, hold no money, and deleting one here is how the demo stands in for deleting a key on the real exchange's
API-management page.</div>
<h1>API key management (simulated)</h1>
${sections}
<h2>Create a simulated key</h2>
<form method="post" action="/__admin/keys/new">
<label>Exchange <select name="exchange"><option value="binance">Binance</option><option value="okx">OKX</option><option value="bybit">Bybit</option><option value="kucoin">KuCoin</option><option value="gate">Gate</option></select></label>
<label>Label <input name="label" value="demo key"></label>
<label><input type="checkbox" name="spotTrade" checked> spot trading</label>
<label><input type="checkbox" name="withdraw"> withdrawals</label>
<label><input type="checkbox" name="transfer"> transfers</label>
<label>Trades <input name="trades" value="500" size="7"></label>
<button type="submit">Create</button>
</form>
<p>JSON interface: <code>GET /__admin/keys</code>, <code>POST /__admin/keys</code>, <code>DELETE /__admin/keys/:exchange/:apiKey</code>,
<code>PATCH /__admin/keys/:exchange/:apiKey</code>, <code>/__admin/faults</code>, <code>/__admin/stats</code>.</p>
</body></html>`;
}
