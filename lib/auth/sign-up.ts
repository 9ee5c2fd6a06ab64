import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword } from "./password";
import type { RequestMeta } from "./request-meta";
import type { SignUpInput } from "./schemas";

export async function signUp(client: Db, input: SignUpInput, meta: RequestMeta) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await client.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name ?? null, passwordHash },
        select: { id: true, email: true, name: true },
      });
      await recordEvent(tx, { userId: user.id, type: "auth.signup", ...meta });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", { field: "email" });
    }
    throw error;
  }
}
