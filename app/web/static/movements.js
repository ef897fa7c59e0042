// The movements of every product (GET /movements), newest first, 50 at a time: filtered by
// reason and by days (from, to: the browser's own days), with "Today's sales" one click away,
// each row naming its product (read once per product; a deleted one is named as such).

import { getJson } from "./api.js";
import { h, openDialog } from "./dom.js";
import { MovementPages } from "./movement-pages.js";
import { REASON_NAMES, movementRow } from "./movement-row.js";

const PAGE = 50;

const dialog = document.getElementById("movements-dialog");
const reason = document.getElementById("movements-reason");
const since = document.getElementById("movements-since");
const until = document.getElementById("movements-until");
const names = new Map(); // product id -> its name (a promise while it is read)

reason.append(...Object.entries(REASON_NAMES).map(([value, label]) => h("option", { value }, label)));

function productName(id) {
  if (!names.has(id)) {
    names.set(id, getJson(`/products/${id}`).then(
      ({ data }) => data.name,
      (error) => (error.status === 404 ? `Product ${id} (deleted)` : `Product ${id}`),
    ));
  }
  return names.get(id);
}

const pages = new MovementPages({
  rows: document.getElementById("movements-rows"),
  empty: document.getElementById("movements-empty"),
  failure: document.getElementById("movements-error"),
  older: document.getElementById("movements-older"),
  page: PAGE,
  rowsOf: async (movements) => {
    const named = await Promise.all(movements.map((move) => productName(move.product_id)));
    return movements.map((move, i) => movementRow(move, named[i]));
  },
});

/** The instant a local date (YYYY-MM-DD) begins, `days` later, as ISO 8601. */
function startOf(date, days = 0) {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(year, month - 1, day + days).toISOString();
}

const today = () => new Date().toLocaleDateString("sv-SE"); // YYYY-MM-DD, the local date

function show() {
  const params = new URLSearchParams({ limit: PAGE });
  if (reason.value) params.set("reason", reason.value);
  if (since.value) params.set("since", startOf(since.value));
  if (until.value) params.set("until", startOf(until.value, 1)); // the whole "to" day
  return pages.show(`/movements?${params}`);
}

export function openMovements() {
  names.clear(); // names may have changed since
  openDialog(dialog);
  return show();
}

for (const filter of [reason, since, until]) filter.addEventListener("change", show);
document.getElementById("movements-today").addEventListener("click", () => {
  reason.value = "sold";
  since.value = until.value = today();
  return show();
});
dialog.addEventListener("close", () => pages.abort());
