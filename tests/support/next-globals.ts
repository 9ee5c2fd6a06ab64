import { AsyncLocalStorage } from "node:async_hooks";

// What Next's server sets up before any of its modules load: its request storages are built
// on a global AsyncLocalStorage (else they are fakes that throw on use).
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
