import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "@/lib/notify/webhook-signature";

// A real webhook receiver on 127.0.0.1 that checks every signature, as a party notified by
// MyITS would. Its answers are scripted per request (status codes, or "hang" to never answer).

export interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
  signatureOk: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers for the next requests, in order; after them, 200. */
  script(answers: (number | "hang")[]): void;
  setSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let secret = "";
  let answers: (number | "hang")[] = [];
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = req.headers["myits-signature"];
      const signatureOk = verifyWebhookSignature(typeof signature === "string" ? signature : null, body, secret).ok;
      received.push({ body, headers: req.headers, signatureOk });
      const answer = answers.shift() ?? 200;
      if (answer === "hang") return;
      res.writeHead(signatureOk ? answer : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/myits`,
    received,
    script: (next) => {
      answers = [...next];
    },
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
