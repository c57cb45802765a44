import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { readAllCapped } from "../providers/http/read-capped.js";
import { RPC_CODES, rpcErrorBody } from "./wire.js";

/** Cookie set by `GET /?token=…` so the browser page can call the API without a header. */
export const TOKEN_COOKIE = "report_mcp_token";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"];
const WILDCARD_ADDRESSES = ["0.0.0.0", "::", "[::]"];

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

export type HostPolicy = {
  /** Lower-case `host[:port]` values accepted in `Host` and `Origin`; null = any (wildcard bind with a token). */
  allowed: Set<string> | null;
};

/**
 * Which Host/Origin values are accepted: on loopback, only loopback names with the bound port
 * (DNS-rebinding protection); on a named address, that address; on a wildcard address, any
 * (a token is then required), plus `extraHosts` always.
 */
export function hostPolicy(options: { host: string; port: number; extraHosts?: string[] }): HostPolicy {
  if (WILDCARD_ADDRESSES.includes(options.host)) return { allowed: null };
  const names = isLoopbackHost(options.host) ? [...LOOPBACK_NAMES, options.host] : [options.host];
  const allowed = new Set<string>();
  for (const name of names) {
    const bracketed = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
    allowed.add(`${bracketed}:${options.port}`.toLowerCase());
    if (options.port === 80) allowed.add(bracketed.toLowerCase());
  }
  for (const extra of options.extraHosts ?? []) allowed.add(extra.toLowerCase());
  return { allowed };
}

function forbidden(c: Context, message: string): Response {
  return c.json(rpcErrorBody({ code: RPC_CODES.serverError, message, data: { message } }), 403);
}

/** Rejects (403) requests whose `Host` or `Origin` is not allowed, on every route. */
export function hostGuard(policy: HostPolicy): MiddlewareHandler {
  return async (c, next) => {
    if (policy.allowed) {
      const host = (c.req.header("host") ?? "").toLowerCase();
      if (!policy.allowed.has(host)) return forbidden(c, `Host "${host}" is not allowed; connect to this server through its own address.`);
      const origin = c.req.header("origin");
      if (origin !== undefined) {
        let originHost: string | null = null;
        try {
          const url = new URL(origin);
          if (url.protocol === "http:" || url.protocol === "https:") originHost = url.host.toLowerCase();
        } catch {
          originHost = null;
        }
        if (originHost === null || !policy.allowed.has(originHost)) {
          return forbidden(c, `Origin "${origin}" is not allowed; pages from other sites cannot call this server.`);
        }
      }
    }
    await next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A cookie's value; null when absent or not validly percent-encoded (then it cannot be the token). */
function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Bearer-token auth on every route but `/health`. The web page gets in through `GET /?token=…`,
 * which sets an HttpOnly SameSite=Strict cookie and redirects to `/` (the token leaves the URL).
 */
export function tokenGuard(token: string | null): MiddlewareHandler {
  return async (c, next) => {
    if (!token || c.req.path === "/health") return next();
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer !== undefined && sameSecret(bearer, token)) return next();
    const cookie = readCookie(c.req.header("cookie"), TOKEN_COOKIE);
    if (cookie !== null && sameSecret(cookie, token)) return next();
    const query = c.req.method === "GET" && c.req.path === "/" ? c.req.query("token") : undefined;
    if (query !== undefined && sameSecret(query, token)) {
      c.header("Set-Cookie", `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      return c.redirect("/", 303);
    }
    const message = "This server requires a token: send `Authorization: Bearer <token>` (the --token / REPORT_MCP_TOKEN value), or open /?token=<token> in a browser.";
    c.header("WWW-Authenticate", 'Bearer realm="report-mcp"');
    return c.json(rpcErrorBody({ code: RPC_CODES.serverError, message: "Unauthorized", data: { message } }), 401);
  };
}

/** A request body as text, or why it cannot be read. */
export type BodyText = { ok: true; text: string } | { ok: false; problem: "too_large" | "not_utf8" };

/** Reads a request body as UTF-8 text, at most `maxBytes`; invalid UTF-8 is refused, never replaced by "�". */
export async function readBodyText(request: Request, maxBytes: number): Promise<BodyText> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, problem: "too_large" };
  const bytes = await readAllCapped(request.body, maxBytes);
  if (bytes === null) return { ok: false, problem: "too_large" };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: "not_utf8" };
  }
}
