// OKX deposit and withdrawal history (asset/deposit-history, asset/withdrawal-history): newest
// first, `after` = older than that ts, `before` = newer than it, `limit` <= 100 (default 100),
// `ccy`, `state` filters. Amounts as OKX prints them (plain decimals).

import type { Transfer } from "../account";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";

export function okxDepositRecord(seed: number, d: Transfer): Record<string, unknown> {
  return {
    actualDepBlkConfirm: "17",
    amt: toPlain(d.amount, 8),
    areaCodeFrom: "",
    ccy: d.asset,
    chain: `${d.asset}-${d.network}`,
    depId: String(80_000_000 + (hashInts(seed, d.ordinal, 0xd1) % 10_000_000) * 10 + (d.ordinal % 10)),
    from: "",
    fromWdId: "",
    state: "2",
    to: d.address,
    ts: String(d.time),
    txId: d.txId,
  };
}

export function okxWithdrawalRecord(seed: number, w: Transfer): Record<string, unknown> {
  return {
    chain: `${w.asset}-${w.network}`,
    fee: toPlain(w.fee, 8),
    feeCcy: w.asset,
    ccy: w.asset,
    clientId: "",
    amt: toPlain(w.amount, 8),
    txId: w.txId,
    from: "",
    areaCodeFrom: "",
    to: w.address,
    areaCodeTo: "",
    state: "2",
    ts: String(w.time),
    nonTradableAsset: false,
    wdId: String(60_000_000 + (hashInts(seed, w.ordinal, 0xd2) % 10_000_000) * 10 + (w.ordinal % 10)),
  };
}
