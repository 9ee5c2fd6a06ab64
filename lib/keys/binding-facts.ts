// The stored facts of a binding that every page and download showing a key reads: never its
// sealed secret columns, which are not even selected.
export const bindingFactsSelect = {
  id: true,
  exchange: true,
  label: true,
  apiKeyMasked: true,
  status: true,
  permissions: true,
  ipRestricted: true,
  ipWhitelist: true,
  keyCreatedAt: true,
  keyExpiresAt: true,
  lastVerifiedAt: true,
  createdAt: true,
} as const;
