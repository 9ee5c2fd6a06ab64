// The changes about a key that become an alert, with what the user should do about each.
// Pure data, so the dashboard, the webhook event and the email say the same thing.

export const alertKinds = [
  "withdraw_gained",
  "transfer_gained",
  "ip_restriction_lost",
  "expiring_soon",
  "revoked_outside",
  "unused_30",
  "unused_90",
  "rotation_due",
  "still_answers_after_unbind",
] as const;

export type AlertKind = (typeof alertKinds)[number];

export interface AlertWording {
  title: string;
  advice: string;
}

export const alertWording: Record<AlertKind, AlertWording> = {
  withdraw_gained: {
    title: "Withdrawal permission turned on",
    advice: "MyITS never needs withdrawals. Turn the permission off on the exchange's API management page, or unbind the key if you did not turn it on yourself.",
  },
  transfer_gained: {
    title: "Transfer permission turned on",
    advice: "MyITS never needs transfers. Turn the permission off on the exchange, or unbind the key if you did not turn it on yourself.",
  },
  ip_restriction_lost: {
    title: "IP restriction removed",
    advice: "The key now works from any address if it leaks. Restrict it to MyITS's IP addresses again on the exchange.",
  },
  expiring_soon: {
    title: "Key expires soon",
    advice: "Bots using it stop when it expires. Create a new key on the exchange, bind it, move the bots to it, then unbind this one.",
  },
  revoked_outside: {
    title: "Key revoked outside MyITS",
    advice: "The exchange no longer accepts this key and its bots cannot trade. If you did not delete it yourself, check your exchange account's security; then unbind it here to destroy the stored secret.",
  },
  unused_30: {
    title: "Key unused for 30 days",
    advice: "A forgotten live key is a risk. If no bot needs it any more, start the unbind wizard.",
  },
  unused_90: {
    title: "Key unused for 90 days",
    advice: "No bot has used this key for three months. Unbind it unless you know why you keep it.",
  },
  rotation_due: {
    title: "Key due for rotation",
    advice: "Old keys have had more time to leak. Create a new key on the exchange, bind it, move the bots over, and unbind this one.",
  },
  still_answers_after_unbind: {
    title: "Unbound key still answers",
    advice: "The exchange still accepts a key you unbound from MyITS. Delete it on the exchange's API management page now.",
  },
};
