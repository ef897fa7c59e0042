// A product's movement history (GET /products/{id}/movements), newest first, 20 at a time, each
// with its location and the quantity there after it; "Older movements" follows the Link
// rel="next" cursor (or before_id when no Link is sent). The product's average cost and stock
// value head it; each movement shows the unit cost it was valued at and what it did to the value.

import { getJson, nextLink } from "./api.js";
import { formatCount, formatDelta, formatTime, h, openDialog, whileBusy } from "./dom.js";
import { locationName } from "./locations.js";

const PAGE = 20;
const REASON_NAMES = {
  initial: "Initial stock",
  received: "Received",
  returned: "Returned",
  sold: "Sold",
  damaged: "Damaged",
  adjustment: "Adjustment",
  count: "Count",
  correction: "Correction",
  transfer_out: "Moved out",
  transfer_in: "Moved in",
};

const dialog = document.getElementById("history-dialog");
const title = document.getElementById("history-title");
const figures = document.getElementById("history-value");
const rows = document.getElementById("history-rows");
const empty = document.getElementById("history-empty");
const failure = document.getElementById("history-error");
const older = document.getElementById("history-older");

let base = "";
let olderPath = null;
let controller = null;

function renderMovement(move) {
  return h(
    "tr",
    { dataset: { movementId: move.id, testid: "movement", reason: move.reason } },
    h("td", { "data-label": "When" }, h("time", { datetime: move.created_at }, formatTime(move.created_at))),
    h("td", { "data-label": "Where", dataset: { field: "location" } }, locationName(move.location_id)),
    h("td", { "data-label": "Reason" }, REASON_NAMES[move.reason] ?? move.reason),
    h("td", { class: `num ${move.delta < 0 ? "out" : "in"}`, "data-label": "Change" }, formatDelta(move.delta)),
    h("td", { class: "num", "data-label": "After" }, formatCount(move.quantity_after)),
    h("td", { class: "num", "data-label": "Unit cost", dataset: { field: "unit_cost" } }, move.unit_cost),
    h("td", { class: "num", "data-label": "Value change", dataset: { field: "value_delta" } }, move.value_delta),
    h("td", { class: "note", "data-label": "Note" }, move.note ?? ""),
  );
}

async function load(path) {
  controller = new AbortController();
  try {
    const { data, headers } = await getJson(path, controller.signal);
    rows.append(...data.map(renderMovement));
    olderPath = nextLink(headers);
    if (!olderPath && data.length === PAGE) olderPath = `${base}&before_id=${data.at(-1).id}`;
    older.hidden = olderPath === null;
    empty.hidden = rows.children.length > 0;
  } catch (error) {
    if (error.name === "AbortError") return;
    failure.textContent = error.message;
    failure.hidden = false;
    older.hidden = true;
  }
}

export function openHistory(product) {
  controller?.abort();
  base = `/products/${product.id}/movements?limit=${PAGE}`;
  title.textContent = `History of ${product.name}`;
  figures.textContent = `Average cost ${product.average_cost} · stock value ${product.stock_value}`;
  rows.replaceChildren();
  failure.hidden = true;
  empty.hidden = true;
  older.hidden = true;
  openDialog(dialog);
  return load(base);
}

older.addEventListener("click", () => whileBusy(older, () => load(olderPath)));
dialog.addEventListener("close", () => controller?.abort());
