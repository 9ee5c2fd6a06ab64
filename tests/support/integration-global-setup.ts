// vitest globalSetup of the integration project: one Postgres server and one migrated
// template database per run. Each test file clones the template (tests/support/test-database.ts),
// which takes milliseconds, instead of migrating a database of its own.

import type { TestProject } from "vitest/node";
import { choosePgServer, createDatabase, dropDatabasesWithPrefix } from "./pg-server";
import { runPrismaCli } from "./prisma-cli";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test server's maintenance database (create, clone and drop databases). */
    pgAdminUrl: string;
    /** A database with every migration applied, to clone with CREATE DATABASE ... TEMPLATE. */
    pgTemplateDatabase: string;
    /** Prefix of every database this run creates; teardown drops what is left. */
    pgDatabasePrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await choosePgServer();
  const prefix = `myits_test_${process.pid}`;
  const template = `${prefix}_template`;

  try {
    const templateUrl = await createDatabase(server.adminUrl, template);
    // The real CLI, as in production: the template has exactly what `migrate deploy` makes.
    const deploy = await runPrismaCli(["migrate", "deploy"], { DATABASE_URL: templateUrl });
    if (deploy.code !== 0) {
      throw new Error(`prisma migrate deploy failed on the test template database:\n${deploy.stderr}${deploy.stdout}`);
    }
    if (process.env.TEST_DB_TIMINGS) {
      console.log(`[test-db] server: ${server.kind}; migrate deploy of the template: ${deploy.ms} ms`);
    }
  } catch (error) {
    await dropDatabasesWithPrefix(server.adminUrl, prefix).catch(() => {});
    await server.stop();
    throw error;
  }

  project.provide("pgAdminUrl", server.adminUrl);
  project.provide("pgTemplateDatabase", template);
  project.provide("pgDatabasePrefix", prefix);

  return async function teardown() {
    try {
      await dropDatabasesWithPrefix(server.adminUrl, prefix);
    } finally {
      await server.stop();
    }
  };
}
