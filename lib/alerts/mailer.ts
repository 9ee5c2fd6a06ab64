import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

// Alert emails go out through SMTP with nodemailer (SMTP_URL, e.g. smtp://user:pass@host:587).
// Without SMTP_URL nothing is sent: the demo prints each mail to the terminal instead, so a
// visitor sees what would have gone out; elsewhere one line says it was not sent.

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export type MailOutcome = { sent: true } | { sent: false; reason: string };

const globalForMail = globalThis as unknown as { myitsMailer?: { url: string; transport: Transporter } };

function transport(url: string): Transporter {
  if (globalForMail.myitsMailer?.url !== url) {
    globalForMail.myitsMailer = { url, transport: nodemailer.createTransport(url) };
  }
  return globalForMail.myitsMailer.transport;
}

export async function sendMail(mail: OutgoingMail): Promise<MailOutcome> {
  const config = env();
  if (!config.SMTP_URL) {
    if (config.MYITS_DEMO) {
      console.info(`[mail] SMTP_URL is not set, so this alert email was printed instead of sent:\nFrom: ${config.MAIL_FROM}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n[mail] end`);
      return { sent: false, reason: "printed to the terminal (demo, no SMTP_URL)" };
    }
    console.info(`[mail] not sent (SMTP_URL is not set): ${mail.subject}`);
    return { sent: false, reason: "SMTP_URL is not set" };
  }
  await transport(config.SMTP_URL).sendMail({ from: config.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
  return { sent: true };
}
