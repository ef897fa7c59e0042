// One stock movement as a table row: a product's history and the movements of every product
// show the same cells (the latter with the product's name after the time), under the same heads.

import { formatCount, formatDelta, formatTime, h } from "./dom.js";
import { locationName } from "./locations.js";

export const REASON_NAMES = {
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

const HEAD = [
  ["When"], ["Product"], ["Where"], ["Reason"], ["Change", "num"], ["After", "num"], ["Unit cost", "num"],
  ["Value change", "num"], ["Note"],
];

/** Fill every `thead[data-movement-head]` with the columns of `movementRow` (the product's
 * column where the table has `data-with-product`). */
function fillMovementHeads() {
  for (const head of document.querySelectorAll("thead[data-movement-head]")) {
    const columns = HEAD.filter(([name]) => name !== "Product" || "withProduct" in head.dataset);
    head.replaceChildren(h("tr", {}, columns.map(([name, kind]) => h("th", { scope: "col", class: kind }, name))));
  }
}

/** The row of `move`; with `product` (its name), a cell for it after the time. */
export function movementRow(move, product) {
  return h(
    "tr",
    { dataset: { movementId: move.id, testid: "movement", reason: move.reason } },
    h("td", { "data-label": "When" }, h("time", { datetime: move.created_at }, formatTime(move.created_at))),
    product === undefined ? null : h("td", { "data-label": "Product", dataset: { field: "product" } }, product),
    h("td", { "data-label": "Where", dataset: { field: "location" } }, locationName(move.location_id)),
    h("td", { "data-label": "Reason" }, REASON_NAMES[move.reason] ?? move.reason),
    h("td", { class: `num ${move.delta < 0 ? "out" : "in"}`, "data-label": "Change", dataset: { field: "delta" } }, formatDelta(move.delta)),
    h("td", { class: "num", "data-label": "After" }, formatCount(move.quantity_after)),
    h("td", { class: "num", "data-label": "Unit cost", dataset: { field: "unit_cost" } }, move.unit_cost),
    h("td", { class: "num", "data-label": "Value change", dataset: { field: "value_delta" } }, move.value_delta),
    h("td", { class: "note", "data-label": "Note" }, move.note ?? ""),
  );
}

fillMovementHeads();
