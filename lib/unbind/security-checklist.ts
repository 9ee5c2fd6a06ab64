// What the user checks about the exchange account before deleting the key on it: deleting needs
// the account's own login and second factor, and a careless click can delete the wrong key.

export interface ChecklistItem {
  id: string;
  text: string;
}

export function securityChecklist(exchangeName: string): ChecklistItem[] {
  return [
    { id: "exchange-login", text: `I can sign in to my ${exchangeName} account with its own password (not a shared one).` },
    { id: "exchange-2fa", text: `Two-factor authentication is on for my ${exchangeName} account, and I have my device or email at hand.` },
    { id: "right-key", text: "I will delete only the key that matches the label, masked key and date shown here, not every key." },
  ];
}

export function checklistIds(exchangeName: string): string[] {
  return securityChecklist(exchangeName).map((item) => item.id);
}
