// key.json must never carry a secret, not even an encrypted one: a backup leaves the server and
// lives in a downloads folder. A caller that passes a whole ExchangeBinding row by mistake is
// stopped here, before a single byte is written. The check runs inside JSON.stringify's
// replacer, so it sees exactly the properties that would be written, at any depth (including
// what a toJSON() returns).

const SECRET_NAME = /secret|passphrase|apiKeyEnc|password/i;

export class SecretInBackupError extends Error {
  constructor(fileName: string, property: string) {
    super(`${fileName} must never contain a secret: refusing property "${property}"`);
    this.name = "SecretInBackupError";
  }
}

/** Pretty JSON (2 spaces, trailing newline) of `value`; throws SecretInBackupError on a secret-like name. */
export function secretFreeJson(value: unknown, fileName: string): string {
  const json: string | undefined = JSON.stringify(
    value,
    (property: string, nested: unknown) => {
      if (SECRET_NAME.test(property)) throw new SecretInBackupError(fileName, property);
      return nested;
    },
    2,
  );
  if (json === undefined) throw new TypeError(`${fileName}: the value is not JSON`);
  return json + "\n";
}
