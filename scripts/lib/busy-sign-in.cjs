// Preloaded into the Next process (node --require, see next-command.ts). While this process
// cannot take another sign-in attempt (lib/auth/sign-in-attempts.ts publishes the answer as
// globalThis.myitsSignInBusy), a POST to Auth.js's credentials callback is answered here, as
// Auth.js answers the "busy" refusal (a redirect to the sign-in page with the code), before Next
// routes the request at all: under a flood of sign-ins, Next's own routing of each refused
// attempt was most of what the flood cost the signed-in users (docs/benchmarks.md, part d).
// The request body is left unread (Node discards it once the answer is sent). Anything else,
// and every attempt while there is room, goes to Next as before.
"use strict";
// A --require preload runs before any ESM loader, so it is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require("node:http");

const CALLBACK = "/api/auth/callback/credentials";
const BUSY = "/login?error=CredentialsSignin&code=busy";

function refusesAsBusy(request) {
  if (request.method !== "POST") return false;
  const url = request.url ?? "";
  if (url !== CALLBACK && !url.startsWith(`${CALLBACK}?`)) return false;
  const busy = globalThis.myitsSignInBusy;
  return typeof busy === "function" && busy() === true;
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitUnlessBusy(event, request, response) {
  if (event === "request" && request && response && refusesAsBusy(request)) {
    if (request.headers["x-auth-return-redirect"] !== undefined) {
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify({ url: BUSY }));
    } else {
      response.writeHead(302, { location: BUSY, "cache-control": "no-store" });
      response.end();
    }
    return true;
  }
  return emit.apply(this, arguments);
};
