// Preloaded into the Next process (node --require, see next-command.ts). Next hands a route
// handler no socket, and it fills X-Forwarded-For with the peer's address only when the client
// did not send one, so a client could name any address. This stamps every request with the
// address of the socket it really came from, replacing whatever a client sent under that
// name; lib/auth/request-meta.ts trusts X-Forwarded-For only when that peer is a proxy named
// in TRUSTED_PROXIES.
"use strict";
// A --require preload runs before any ESM loader, so it is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require("node:http");

const HEADER = "x-myits-peer-address";
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithPeer(event, request) {
  if (event === "request" && request && request.headers) {
    request.headers[HEADER] = request.socket?.remoteAddress ?? "";
  }
  return emit.apply(this, arguments);
};
