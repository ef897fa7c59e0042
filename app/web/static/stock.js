// The stock dialog: receive / return (POST /products/{id}/stock, delta > 0), sell / damaged
// (delta < 0), or a shelf count (POST /products/{id}/count), each with a note, at the location
// the toolbar's picker names (its quantity there read from GET /products/{id}/stock). A receipt
// asks for its unit cost (empty: the product's average cost, which the hint shows).

import { WriteAction, getJson, write } from "./api.js";
import { formatCount, formatDelta, openDialog, whileBusy } from "./dom.js";
import { clearErrors, showErrors } from "./form.js";
import { currentLocation, severalLocations } from "./locations.js";
import { report } from "./status.js";

const REASONS = {
  received: { sign: 1, title: "Receive", label: "Quantity received", done: "Received" },
  returned: { sign: 1, title: "Return", label: "Quantity returned", done: "Returned" },
  sold: { sign: -1, title: "Sell", label: "Quantity sold", done: "Sold" },
  damaged: { sign: -1, title: "Mark damaged", label: "Quantity damaged", done: "Marked damaged:" },
  count: { sign: 0, title: "Count", label: "Counted on the shelf", done: "Counted" },
};
/** The list row's buttons, by the reason each preselects. */
export const ACTION_REASONS = { receive: "received", sell: "sold", damaged: "damaged", count: "count" };

const dialog = document.getElementById("stock-dialog");
const form = document.getElementById("stock-form");
const title = document.getElementById("stock-title");
const subtitle = document.getElementById("stock-product");
const where = document.getElementById("stock-location");
const reason = document.getElementById("stock-reason");
const quantity = document.getElementById("stock-quantity");
const quantityLabel = document.getElementById("stock-quantity-label");
const preview = document.getElementById("stock-preview");
const note = document.getElementById("stock-note");
const costField = document.getElementById("stock-unit-cost-field");
const unitCost = document.getElementById("stock-unit-cost");
const costHint = document.getElementById("stock-cost-hint");
const submit = document.getElementById("stock-submit");
const quantityTarget = { input: quantity, error: document.getElementById("error-stock-quantity") };
const fields = {
  delta: quantityTarget,
  counted: quantityTarget,
  reason: { input: reason, error: document.getElementById("error-stock-reason") },
  note: { input: note, error: document.getElementById("error-stock-note") },
  unit_cost: { input: unitCost, error: document.getElementById("error-stock-unit-cost") },
};

let product = null;
let place = null;
let onHand = null; // at `place`; null until read
let action = null;
let onDone = () => {};

const amount = () => (/^\d+$/.test(quantity.value.trim()) ? Number(quantity.value.trim()) : null);

function refresh() {
  const mode = REASONS[reason.value];
  title.textContent = mode.title;
  quantityLabel.textContent = mode.label;
  submit.textContent = mode.title;
  costField.hidden = reason.value !== "received";
  const n = amount();
  if (onHand === null) {
    preview.textContent = "";
    return;
  }
  const now = `On hand ${severalLocations() ? "here" : "now"}: ${formatCount(onHand)}`;
  if (n === null) preview.textContent = now;
  else if (mode.sign === 0) preview.textContent = `${now}; change ${formatDelta(n - onHand)}`;
  else if (onHand + mode.sign * n < 0) preview.textContent = `Only ${formatCount(onHand)} on hand: not enough for that.`;
  else preview.textContent = `${now}; after: ${formatCount(onHand + mode.sign * n)}`;
}

async function readOnHand(item) {
  onHand = severalLocations() ? null : item.quantity;
  refresh();
  if (!severalLocations()) return;
  try {
    const { data } = await getJson(`/products/${item.id}/stock`);
    if (product !== item) return; // the dialog was opened for another product meanwhile
    onHand = data.find((level) => level.location_id === place?.id)?.quantity ?? 0;
    refresh();
  } catch (error) {
    report(error);
  }
}

/** Open for `item` with the reason of the row button `rowAction`; `done(product, message)`. */
export function openStock(item, rowAction, done) {
  product = item;
  onDone = done;
  action = new WriteAction();
  form.reset();
  clearErrors(dialog);
  reason.value = ACTION_REASONS[rowAction];
  subtitle.textContent = item.name;
  unitCost.placeholder = item.average_cost;
  costHint.textContent = `Empty: the average cost, ${item.average_cost}.`;
  place = currentLocation();
  where.textContent = severalLocations() && place ? `At ${place.name}` : "";
  openDialog(dialog);
  quantity.focus();
  readOnHand(item);
}

function request() {
  const mode = REASONS[reason.value];
  const n = amount();
  const extra = {
    ...(note.value.trim() ? { note: note.value.trim() } : {}),
    ...(place ? { location_id: place.id } : {}),
  };
  if (mode.sign === 0) return ["count", { counted: n, ...extra }];
  const cost = reason.value === "received" && unitCost.value.trim() ? { unit_cost: unitCost.value.trim() } : {};
  return ["stock", { delta: mode.sign * n, reason: reason.value, ...cost, ...extra }];
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const n = amount();
  const mode = REASONS[reason.value];
  if (n === null || (mode.sign !== 0 && n === 0)) {
    showErrors(dialog, { status: 422, detail: [{ loc: ["body", "delta"], msg: mode.sign === 0
      ? "Enter the number of items on the shelf (0 or more)."
      : "Enter a whole number of items, 1 or more." }] }, fields);
    return;
  }
  whileBusy(submit, async () => {
    const [route, body] = request();
    try {
      const updated = await write(action, "POST", `/products/${product.id}/${route}`, body);
      dialog.close();
      const what = mode.sign === 0 ? `${formatCount(n)} of` : `${formatCount(n)} ×`;
      const at = severalLocations() && place ? ` at ${place.name}` : "";
      onDone(updated, `${mode.done} ${what} ${updated.name}${at}; on hand now ${formatCount(updated.quantity)}.`);
    } catch (error) {
      showErrors(dialog, error, fields);
    }
  });
});

reason.addEventListener("change", refresh);
quantity.addEventListener("input", refresh);
