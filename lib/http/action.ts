import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { requireUser, type CurrentUser } from "@/lib/auth/current-user";
import { requestMetaFrom, type RequestMeta } from "@/lib/auth/request-meta";
import { isAppError } from "@/lib/errors";
import { fieldErrors, type FormState } from "./form-state";

// The one wrapper for server actions, twin of userRoute (route.ts): it checks the session
// itself, validates the form with zod, and turns an AppError into the form's state (its message,
// next to the field it names in details.field) in one place. Anything else (a bug, or Next's
// redirect, which travels as an exception) is thrown on. Actions stay a few lines long.
//
// The wrapped action works both behind useActionState, (previous, formData), and as a plain
// <form action>, (formData): there the state it answers is dropped.

export interface ActionContext<I, R> {
  input: I;
  formData: FormData;
  meta: RequestMeta;
  /** The form's previous state (useActionState), or undefined for a plain form. */
  previous: R | undefined;
}

export interface UserActionContext<I, R> extends ActionContext<I, R> {
  user: CurrentUser;
}

export interface ActionOptions<R> {
  /** The FormData as the object `schema` validates (default: its fields, the first of each name). */
  read?: (formData: FormData) => unknown;
  /** The state for input the schema refuses (default: "Check the highlighted fields." and the field errors). */
  invalid?: (error: z.ZodError, formData: FormData, user: CurrentUser | null) => R | Promise<R>;
  /** Added to every refusal, e.g. what was typed, so the form keeps it. */
  keep?: (formData: FormData) => Partial<R>;
}

export interface FormAction<R> {
  /** behind useActionState */
  (previous: R, formData: FormData): Promise<R>;
  /** as a plain <form action>: the state is dropped */
  (formData: FormData): Promise<void>;
}

/** A server action for a signed-in user. */
export function userAction<S extends z.ZodType, R extends FormState = FormState>(
  schema: S,
  handler: (ctx: UserActionContext<z.infer<S>, R>) => Promise<R | void>,
  options: ActionOptions<R> = {},
): FormAction<R> {
  return defineAction(schema, options, async (ctx) => handler({ ...ctx, user: ctx.user! }), true);
}

/** A server action open to visitors (sign-in, sign-up, sign-out): same parsing and mapping. */
export function guestAction<S extends z.ZodType, R extends FormState = FormState>(
  schema: S,
  handler: (ctx: ActionContext<z.infer<S>, R>) => Promise<R | void>,
  options: ActionOptions<R> = {},
): FormAction<R> {
  return defineAction(schema, options, handler, false);
}

function defineAction<S extends z.ZodType, R extends FormState>(
  schema: S,
  { read = formFields, invalid, keep }: ActionOptions<R>,
  handler: (ctx: ActionContext<z.infer<S>, R> & { user: CurrentUser | null }) => Promise<R | void>,
  signedIn: boolean,
): FormAction<R> {
  const answer = async (formData: FormData, previous: R | undefined): Promise<R> => {
    const kept = () => keep?.(formData) ?? {};
    try {
      const user = signedIn ? await requireUser() : null;
      const parsed = schema.safeParse(read(formData));
      if (!parsed.success) {
        if (invalid) return await invalid(parsed.error, formData, user);
        return { ...kept(), message: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error) } as R;
      }
      const meta = requestMetaFrom(await headers());
      return ((await handler({ input: parsed.data, formData, meta, previous, user })) ?? { ok: true }) as R;
    } catch (error) {
      if (!isAppError(error)) throw error;
      const field = typeof error.details?.field === "string" ? error.details.field : undefined;
      return { ...kept(), message: error.message, fieldErrors: field ? { [field]: error.message } : undefined } as R;
    }
  };
  return (async (previousOrForm: R | FormData, formData?: FormData) => {
    if (previousOrForm instanceof FormData) {
      await answer(previousOrForm, undefined);
      return;
    }
    return answer(formData!, previousOrForm);
  }) as FormAction<R>;
}

function formFields(formData: FormData): Record<string, FormDataEntryValue> {
  // No prototype: a field named "__proto__" or "constructor" is just a field.
  const fields = Object.create(null) as Record<string, FormDataEntryValue>;
  for (const [name, value] of formData) {
    // Next's own fields ($ACTION_ID_..., $ACTION_REF_...) are not the form's.
    if (!name.startsWith("$ACTION_") && !Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}
