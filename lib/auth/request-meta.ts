// Where a request came from, for the login-attempt and audit records.
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export const noRequestMeta: RequestMeta = { ip: null, userAgent: null };

export function requestMetaFrom(headers: Headers): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || headers.get("x-real-ip") || null,
    userAgent: headers.get("user-agent")?.slice(0, 300) ?? null,
  };
}
