// The one fetch wrapper every view uses: JSON in and out, the API key as a Bearer token
// (asking for one and retrying on 401), Idempotency-Key on writes, errors as ApiError,
// and the `Link: <...>; rel="next"` cursor of the list endpoints.

import { apiKey, askForKey } from "./auth.js";
import { ApiError } from "./errors.js";

/**
 * Send one request; resolves to {data, headers, status} or throws ApiError.
 * options: body (string or Blob, sent as is), contentType, accept, idempotencyKey, signal.
 */
export async function request(method, path, options = {}) {
  for (;;) {
    const response = await send(method, path, options);
    // 401: ask for a key (saying so when the stored one was refused), then send the same
    // request again with the same Idempotency-Key; cancelling gives the 401 to the caller.
    if (response.status === 401 && (await askForKey(apiKey() !== ""))) continue;
    const data = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, data?.detail ?? data);
    return { data, headers: response.headers, status: response.status };
  }
}

async function send(method, path, { body, contentType, accept, idempotencyKey, signal }) {
  const headers = { Accept: accept || "application/json" };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  if (body !== undefined) headers["Content-Type"] = contentType || "application/json";
  try {
    return await fetch(path, { method, headers, body, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, null);
  }
}

async function readBody(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) return response.json().catch(() => null);
  return response.blob();
}

export const getJson = (path, signal) => request("GET", path, { signal });

/**
 * A write as one user action: `payload` is sent as JSON, or as is with `contentType`
 * (a CSV file). The action's key is reused only when the same body is retried.
 */
export async function write(action, method, path, payload, contentType) {
  const body = contentType ? payload : JSON.stringify(payload);
  try {
    const idempotencyKey = action.keyFor(body);
    const { data } = await request(method, path, { body, contentType, idempotencyKey });
    action.done();
    return data;
  } catch (error) {
    action.failed(error);
    throw error;
  }
}

/**
 * One user action (a dialog's submit). A retry of the same body after an undecided outcome
 * (network failure, 5xx, "in progress") reuses the key, so the server counts it once.
 */
export class WriteAction {
  #key = null;
  #body = null;

  keyFor(body) {
    if (this.#key === null || body !== this.#body) {
      this.#key = newKey();
      this.#body = body;
    }
    return this.#key;
  }

  done() {
    this.#key = null;
  }

  failed(error) {
    if (!(error instanceof ApiError) || error.decided) this.#key = null;
  }
}

/** crypto.randomUUID exists only in secure contexts; a shop's LAN address over http is not one. */
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The path+query of the rel="next" link, or null (an absolute URL is reduced to this origin). */
export function nextLink(headers) {
  const header = headers.get("Link");
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = part.match(/<([^>]*)>\s*;(.*)/);
    if (match && /rel="?next"?/i.test(match[2])) {
      const url = new URL(match[1], location.href);
      return url.pathname + url.search;
    }
  }
  return null;
}
