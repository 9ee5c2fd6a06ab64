// Stands in for the "server-only" package outside Next.js: tests and scripts are server code.
export {};
