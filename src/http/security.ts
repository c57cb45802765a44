import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
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
      if (!policy.allowed.has(host))
        return forbidden(c, `Host "${host}" is not allowed; connect to this server through its own address.`);
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

const TOKEN_HELP =
  "This server requires a token: send `Authorization: Bearer <token>` (the --token / REPORT_MCP_TOKEN value), or open /?token=<token> in a browser.";

function unauthorized(c: Context): Response {
  c.header("WWW-Authenticate", 'Bearer realm="report-mcp"');
  return c.json(
    rpcErrorBody({ code: RPC_CODES.serverError, message: "Unauthorized", data: { message: TOKEN_HELP } }),
    401,
  );
}

/**
 * Token auth on every route but `/health`: hono's bearer-auth checks `Authorization: Bearer`; the
 * web page gets in with the cookie it receives from `GET /?token=…` (HttpOnly, SameSite=Strict;
 * the redirect to `/` takes the token out of the URL). Every refusal — a missing, malformed or
 * wrong header or cookie — is a 401 that says how to send the token.
 */
export function tokenGuard(token: string | null): MiddlewareHandler {
  if (!token) return (_c, next) => next();
  const bearer = bearerAuth({ verifyToken: (given) => sameSecret(given, token) });
  return async (c, next) => {
    if (c.req.path === "/health") return next();
    if (c.req.header("authorization") === undefined) {
      // hono leaves a malformed %-escape in a cookie as it is: it then cannot match.
      const cookie = getCookie(c, TOKEN_COOKIE);
      if (cookie !== undefined && sameSecret(cookie, token)) return next();
      const query = c.req.method === "GET" && c.req.path === "/" ? c.req.query("token") : undefined;
      if (query !== undefined && sameSecret(query, token)) {
        setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
        return c.redirect("/", 303);
      }
      return unauthorized(c);
    }
    // The check alone runs inside bearer-auth, so a refusal from a later handler is never mistaken for one of its own.
    let accepted = false;
    try {
      await bearer(c, async () => {
        accepted = true;
      });
    } catch (error) {
      if (!(error instanceof HTTPException)) throw error;
    }
    return accepted ? next() : unauthorized(c);
  };
}

/** 413 with `respond` for a body over `maxBytes` (declared or streamed); hono's body-limit reads at most that much. */
export function bodyCap(maxBytes: number, respond: (c: Context) => Response): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: respond });
}

/** Reads a request body (already capped by `bodyCap`) as UTF-8 text; null for invalid UTF-8, never replaced by "�". */
export async function readBodyText(request: Request): Promise<string | null> {
  const bytes = await request.arrayBuffer();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
