// Bybit deposit and withdrawal records (asset/deposit/query-record, asset/withdraw/query-record):
// windows of at most 30 days (default the last 30), newest first, limit 1..50 (default 50),
// nextPageCursor. Record shapes as Bybit prints them.

import type { Transfer } from "../account";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";

export function bybitDepositRecord(seed: number, d: Transfer): Record<string, unknown> {
  return {
    coin: d.asset,
    chain: d.network,
    amount: toPlain(d.amount, 8),
    txID: d.txId,
    status: 3,
    toAddress: d.address,
    tag: "",
    depositFee: "",
    successAt: String(d.time + 600_000),
    confirmations: "64",
    txIndex: "0",
    blockHash: "",
    batchReleaseLimit: "-1",
    depositType: "0",
    fromAddress: "",
    id: String(10_000_000 + (hashInts(seed, d.ordinal, 0xb1) % 1_000_000) * 10 + (d.ordinal % 10)),
    createdTime: String(d.time),
  };
}

export function bybitWithdrawalRecord(seed: number, w: Transfer): Record<string, unknown> {
  return {
    coin: w.asset,
    chain: w.network,
    amount: toPlain(w.amount, 8),
    txID: w.txId,
    status: "success",
    toAddress: w.address,
    tag: "",
    withdrawFee: toPlain(w.fee, 8),
    createTime: String(w.time),
    updateTime: String(w.time + 900_000),
    withdrawId: String(20_000_000 + (hashInts(seed, w.ordinal, 0xb2) % 1_000_000) * 10 + (w.ordinal % 10)),
    withdrawType: 0,
  };
}
