import { z } from "zod";

export const startExportSchema = z.strictObject({
  fullScan: z.boolean().optional(),
});

export const backupDownloadQuery = z.strictObject({
  format: z.enum(["zip", "csv", "koinly", "cointracker"], { error: "format must be zip, csv, koinly or cointracker" }).default("zip"),
});

export const exportJobIdSchema = z.string().regex(/^[a-z0-9]{10,40}$/, "not an export id");
