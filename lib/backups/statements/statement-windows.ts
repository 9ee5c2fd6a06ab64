// Which windows of an exchange's statement download to offer: the part of [earliest, cut-off]
// that no stored or pending statement covers yet, newest first, cut into windows no longer than
// one request may cover. Newest first because that is the history a user most often needs (and
// each request spends one of a small monthly quota). Pure.

export interface Window {
  from: Date;
  to: Date;
}

export function statementWindows(earliest: Date, cutoff: Date, maxWindowMs: number, taken: readonly Window[]): Window[] {
  if (cutoff <= earliest || maxWindowMs <= 0) return [];
  const covered = [...taken].filter((w) => w.to > w.from).sort((a, b) => b.to.getTime() - a.to.getTime());
  const windows: Window[] = [];
  let end = cutoff.getTime();
  const start = earliest.getTime();
  while (end > start) {
    // skip back over whatever covers `end`
    const over = covered.find((w) => w.from.getTime() < end && w.to.getTime() >= end);
    if (over) {
      end = over.from.getTime();
      continue;
    }
    // down to the newest covered window below `end`, the earliest date, or one window's length
    const below = covered.find((w) => w.to.getTime() < end);
    const from = Math.max(start, end - maxWindowMs, below ? below.to.getTime() : start);
    windows.push({ from: new Date(from), to: new Date(end) });
    end = from;
  }
  return windows;
}
