// The "Add product" / "Edit product" dialog: POST /products, or PATCH /products/{id} with only
// the fields that changed; the API's 422 and 409 answers are shown next to their fields. A new
// product's opening quantity and its unit cost are asked only when adding; editing shows its
// average cost and stock value (the ledger keeps them).

import { WriteAction, write } from "./api.js";
import { openDialog, whileBusy } from "./dom.js";
import { clearErrors, showErrors } from "./form.js";

const dialog = document.getElementById("product-dialog");
const form = document.getElementById("product-form");
const title = document.getElementById("product-title");
const submit = document.getElementById("product-submit");
const figures = document.getElementById("product-value");
const openingFields = [document.getElementById("product-quantity-field"), document.getElementById("product-unit-cost-field")];
const NAMES = ["name", "price", "quantity", "unit_cost", "sku", "barcode", "reorder_level", "description"];
const fields = Object.fromEntries(
  NAMES.map((name) => [name, { input: form.elements[name], error: document.getElementById(`error-${name}`) }]),
);

let editing = null; // the product being edited, or null when adding
let action = null;
let onSaved = () => {};

/** "12" -> 12; anything else is sent as typed, so that the API says what is wrong with it. */
const whole = (text) => (/^-?\d+$/.test(text) ? Number(text) : text);

function values() {
  const text = (name) => form.elements[name].value.trim();
  return {
    name: text("name"),
    description: form.elements.description.value,
    price: text("price"),
    quantity: text("quantity") === "" ? 0 : whole(text("quantity")),
    unit_cost: text("unit_cost"),
    sku: text("sku") || null,
    barcode: text("barcode") || null,
    reorder_level: text("reorder_level") === "" ? 0 : whole(text("reorder_level")),
  };
}

/** The body to send: for a new product, what was filled in; for an edit, what changed. */
function payload() {
  const all = values();
  if (!editing) {
    const body = { name: all.name, description: all.description, quantity: all.quantity };
    if (all.price !== "") body.price = all.price;
    if (all.unit_cost !== "") body.unit_cost = all.unit_cost;
    for (const name of ["sku", "barcode"]) if (all[name] !== null) body[name] = all[name];
    if (all.reorder_level !== 0) body.reorder_level = all.reorder_level;
    return body;
  }
  delete all.quantity; // changed through receive / sell / count, so that the ledger says why
  delete all.unit_cost; // the opening stock's; later receipts say their own
  const before = { ...editing, sku: editing.sku ?? null, barcode: editing.barcode ?? null, reorder_level: editing.reorder_level ?? 0 };
  return Object.fromEntries(Object.entries(all).filter(([name, value]) => value !== before[name]));
}

/** Open the dialog for a new product (null) or for editing `product`; `saved(product, isNew)`. */
export function openProductForm(product, saved) {
  editing = product;
  onSaved = saved;
  action = new WriteAction();
  form.reset();
  clearErrors(dialog);
  title.textContent = product ? `Edit ${product.name}` : "Add product";
  submit.textContent = product ? "Save changes" : "Add product";
  for (const field of openingFields) field.hidden = Boolean(product);
  figures.hidden = !product;
  figures.textContent = product ? `Average cost ${product.average_cost} · stock value ${product.stock_value}` : "";
  if (product) {
    for (const name of NAMES) form.elements[name].value = product[name] ?? "";
    form.elements.reorder_level.value = product.reorder_level ?? 0;
  }
  openDialog(dialog);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  whileBusy(submit, async () => {
    const body = payload();
    if (editing && Object.keys(body).length === 0) {
      dialog.close();
      return;
    }
    try {
      const product = editing
        ? await write(action, "PATCH", `/products/${editing.id}`, body)
        : await write(action, "POST", "/products", body);
      dialog.close();
      onSaved(product, !editing);
    } catch (error) {
      showErrors(dialog, error, fields);
    }
  });
});
