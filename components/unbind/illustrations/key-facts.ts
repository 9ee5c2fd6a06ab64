// What the drawings show of the user's key, so the user can match it on the exchange's page,
// and the made-up neighbours that stand for the user's other keys.

export interface IllustratedKey {
  label: string;
  /** As MyITS stores it: first and last four characters ("AbCd…WxYz"). */
  maskedKey: string;
  /** When the key was created on the exchange, where known. */
  createdAt: Date | null;
}

export interface DrawnKey {
  label: string;
  maskedKey: string;
  created: string;
  mine: boolean;
}

/**
 * The creation day in UTC (YYYY-MM-DD), the same on the server and in the browser so a
 * rendered drawing never differs between them.
 */
export function formatCreated(createdAt: Date | null): string {
  if (!createdAt || Number.isNaN(createdAt.getTime())) return "not known";
  return createdAt.toISOString().slice(0, 10);
}

export function keyLabel(label: string): string {
  return label.trim() === "" ? "(no label)" : label;
}

export function ownKey(key: IllustratedKey): DrawnKey {
  return { label: keyLabel(key.label), maskedKey: key.maskedKey, created: formatCreated(key.createdAt), mine: true };
}

/** The user's key between two invented ones: the page usually holds keys of other services. */
export function drawnKeys(key: IllustratedKey): DrawnKey[] {
  return [
    { label: "Tax report", maskedKey: "Xq7v…k2Lm", created: "2023-11-02", mine: false },
    ownKey(key),
    { label: "Portfolio tracker", maskedKey: "9fHc…Tz41", created: "2024-06-18", mine: false },
  ];
}
