// A fresh database for one test file, cloned from the migrated template of this run:
//
//   let db: TestDatabase;
//   beforeAll(async () => { db = await createTestDatabase(); });
//   afterAll(() => db.drop());

import { inject } from "vitest";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "./pg-server";

export interface TestDatabase {
  /** postgres:// URL of the new database: give it to PrismaPg, pg or a spawned process. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = uniqueDatabaseName(inject("pgDatabasePrefix"));
  const url = await createDatabase(adminUrl, name, { template: inject("pgTemplateDatabase") });
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
