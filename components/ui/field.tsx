import type { ComponentProps } from "react";

// A labelled input with its error announced to screen readers.
export function Field({
  label,
  name,
  error,
  errorId,
  hint,
  ...input
}: ComponentProps<"input"> & {
  label: string;
  name: string;
  error?: string;
  /** The id of an element elsewhere (the form's message) that already says what is wrong here. */
  errorId?: string;
  hint?: string;
}) {
  const id = `field-${name}`;
  const describedBy = [error ? `${id}-error` : errorId ?? null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error || errorId ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 aria-invalid:border-red-500"
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled multi-line field (a pasted PEM private key), announced like Field. */
export function TextAreaField({
  label,
  name,
  error,
  errorId,
  hint,
  ...textarea
}: ComponentProps<"textarea"> & {
  label: string;
  name: string;
  error?: string;
  errorId?: string;
  hint?: string;
}) {
  const id = `field-${name}`;
  const describedBy = [error ? `${id}-error` : errorId ?? null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        aria-invalid={error || errorId ? true : undefined}
        aria-describedby={describedBy}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm focus:border-indigo-500 aria-invalid:border-red-500"
        {...textarea}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
