// Turns the API's error answers into plain words: one message per status for the alert areas,
// and per-field messages from FastAPI's 422 list (each item has `loc` and `msg`).

export class ApiError extends Error {
  /** status 0 means the request never got an answer (network failure). */
  constructor(status, detail) {
    super(describe(status, detail));
    this.status = status;
    this.detail = detail;
  }

  /** True when the server decided the outcome, so a retry is a new action with a new key. */
  get decided() {
    if (this.status === 0 || this.status >= 500) return false;
    if ([401, 408, 429].includes(this.status)) return false;
    return !(this.status === 409 && /in progress/i.test(String(this.detail)));
  }
}

const NOT_AVAILABLE = "This server does not offer that yet (it answered “not found”).";

function describe(status, detail) {
  const text = typeof detail === "string" && detail ? detail : "";
  switch (status) {
    case 0:
      return "Cannot reach the Inventory service. Check that it is running and that this device is online, then try again.";
    case 401:
      return "An API key is needed for this. Enter one to continue.";
    case 403:
      return "This API key may only read. Ask for a key that may make changes.";
    case 404:
      return text && text !== "Not Found" ? text : NOT_AVAILABLE;
    case 405:
      return NOT_AVAILABLE;
    case 413:
      return "That is too large for the server to accept.";
    case 422:
      return text || "Some values were not accepted; see the messages next to the fields.";
    case 503:
      return "The database is unavailable; try again in a moment.";
    default:
      if (status >= 500) return `The server had a problem (error ${status}); try again in a moment.`;
      return text || `The request was refused (error ${status}).`;
  }
}

/** A FastAPI/pydantic validation item in plain words. */
function plainMessage(item) {
  const ctx = item.ctx || {};
  switch (item.type) {
    case "missing":
      return "Required.";
    case "string_too_short":
      return ctx.min_length === 1 ? "Must not be empty." : `At least ${ctx.min_length} characters.`;
    case "string_too_long":
      return `At most ${ctx.max_length} characters.`;
    case "decimal_max_places":
      return `At most ${ctx.decimal_places} decimal places.`;
    case "decimal_parsing":
    case "decimal_type":
      return "Must be a number, such as 19.99.";
    case "int_parsing":
    case "int_type":
    case "int_from_float":
      return "Must be a whole number.";
    case "greater_than_equal":
      return `Must be ${ctx.ge} or more.`;
    case "greater_than":
      return `Must be more than ${ctx.gt}.`;
    case "less_than_equal":
      return `Must be ${ctx.le} or less.`;
    case "less_than":
      return `Must be less than ${ctx.lt}.`;
    case "extra_forbidden":
      return "This server does not accept this field yet.";
    default: {
      const text = String(item.msg || item.reason || item.message || "Not accepted.").replace(/^Value error, /, "");
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
  }
}

/** {field: message} from a 422 list; items not naming a field go under "". */
export function fieldErrors(detail) {
  const out = {};
  if (!Array.isArray(detail)) return out;
  for (const item of detail) {
    const loc = Array.isArray(item?.loc) ? item.loc : [];
    const field = loc.length > 1 ? String(loc[loc.length - 1]) : "";
    out[field] = out[field] ? `${out[field]} ${plainMessage(item)}` : plainMessage(item);
  }
  return out;
}

/** The field a 409 detail names (duplicate barcode, sku or name), or "" when it names none. */
export function conflictField(detail) {
  const text = String(detail);
  if (/barcode/i.test(text)) return "barcode";
  if (/\bsku\b/i.test(text)) return "sku";
  if (/\bnamed?\b/i.test(text)) return "name";
  return "";
}
