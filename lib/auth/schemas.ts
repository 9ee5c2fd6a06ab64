import { z } from "zod";

// Input schemas for sign-up, sign-in and re-authentication, shared by forms and route handlers.

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(12, "Use at least 12 characters.")
  .max(256, "Use at most 256 characters.");

const passwordSchema = z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(256);

/** A 6-digit authenticator code or a recovery code; empty means "not given". */
export const secondFactorSchema = z
  .string()
  .trim()
  .max(32)
  .transform((value) => (value ? value : undefined))
  .optional();

export const signUpSchema = z.object({
  name: z.string().trim().max(100).transform((v) => v || undefined).optional(),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  code: secondFactorSchema,
});

export const reauthSchema = z.object({
  password: passwordSchema,
  code: secondFactorSchema,
});

export const changePasswordSchema = z
  .object({
    currentPassword: passwordSchema,
    code: secondFactorSchema,
    newPassword: newPasswordSchema,
    confirm: z.string().max(256),
  })
  .refine((input) => input.confirm === input.newPassword, { path: ["confirm"], message: "The two passwords differ." })
  .refine((input) => input.newPassword !== input.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
export type ReauthInput = z.infer<typeof reauthSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
