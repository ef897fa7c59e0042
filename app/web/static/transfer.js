// The transfer dialog: move some of a product's stock from one location to another
// (POST /products/{id}/transfers: two movements, one transaction), showing what each location
// holds (GET /products/{id}/stock); a refusal (not enough at the source) stays in the dialog.

import { WriteAction, getJson, write } from "./api.js";
import { formatCount, h, openDialog, whileBusy } from "./dom.js";
import { clearErrors, showErrors } from "./form.js";
import { allLocations, currentLocation, locationName } from "./locations.js";
import { report } from "./status.js";

const dialog = document.getElementById("transfer-dialog");
const form = document.getElementById("transfer-form");
const subtitle = document.getElementById("transfer-product");
const source = document.getElementById("transfer-from");
const destination = document.getElementById("transfer-to");
const quantity = document.getElementById("transfer-quantity");
const levelsHint = document.getElementById("transfer-levels");
const note = document.getElementById("transfer-note");
const submit = document.getElementById("transfer-submit");
const target = (input, name) => ({ input, error: document.getElementById(`error-transfer-${name}`) });
const fields = {
  from_location_id: target(source, "from"),
  to_location_id: target(destination, "to"),
  quantity: target(quantity, "quantity"),
  note: target(note, "note"),
};

let product = null;
let action = null;
let held = new Map(); // location id -> quantity there
let onDone = () => {};

function showHeld() {
  const there = held.get(Number(source.value)) ?? 0;
  levelsHint.textContent = `${locationName(Number(source.value))} holds ${formatCount(there)}.`;
}

function options(select, chosen) {
  select.replaceChildren(...allLocations().map((place) => h("option", { value: place.id }, place.name)));
  if (chosen) select.value = String(chosen.id);
}

/** Open for `item`; `done(levels, message)` after a transfer. */
export async function openTransfer(item, done) {
  product = item;
  onDone = done;
  action = new WriteAction();
  form.reset();
  clearErrors(dialog);
  subtitle.textContent = item.name;
  const from = currentLocation();
  options(source, from);
  options(destination, allLocations().find((place) => place.id !== from?.id));
  held = new Map();
  levelsHint.textContent = "";
  openDialog(dialog);
  quantity.focus();
  try {
    const { data } = await getJson(`/products/${item.id}/stock`);
    held = new Map(data.map((level) => [level.location_id, level.quantity]));
    showHeld();
  } catch (error) {
    report(error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const n = /^\d+$/.test(quantity.value.trim()) ? Number(quantity.value.trim()) : 0;
  if (n < 1) {
    showErrors(dialog, { status: 422, detail: [{ loc: ["body", "quantity"], msg: "Enter a whole number of items, 1 or more." }] }, fields);
    return;
  }
  const body = {
    from_location_id: Number(source.value),
    to_location_id: Number(destination.value),
    quantity: n,
    ...(note.value.trim() ? { note: note.value.trim() } : {}),
  };
  if (body.from_location_id === body.to_location_id) {
    showErrors(dialog, { status: 422, detail: [{ loc: ["body", "to_location_id"], msg: "Pick another location to move to." }] }, fields);
    return;
  }
  whileBusy(submit, async () => {
    try {
      const levels = await write(action, "POST", `/products/${product.id}/transfers`, body);
      dialog.close();
      const route = `${locationName(body.from_location_id)} to ${locationName(body.to_location_id)}`;
      onDone(levels, `Moved ${formatCount(n)} × ${product.name} from ${route}.`);
    } catch (error) {
      showErrors(dialog, error, fields);
    }
  });
});

source.addEventListener("change", showHeld);
