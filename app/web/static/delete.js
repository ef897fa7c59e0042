// Deleting a product from its row, after a confirmation: DELETE /products/{id} archives it (its
// history stays, GET /movements still lists it; its name and codes are free again).

import { WriteAction, write } from "./api.js";
import { openDialog, whileBusy } from "./dom.js";

const dialog = document.getElementById("delete-dialog");
const form = document.getElementById("delete-form");
const text = document.getElementById("delete-text");
const failure = document.getElementById("delete-error");
const confirmButton = document.getElementById("delete-confirm");

let product = null;
let action = null;
let onDeleted = () => {};

/** Ask before deleting `item`; `deleted(item)` once the server has. */
export function openDelete(item, deleted) {
  product = item;
  onDeleted = deleted;
  action = new WriteAction();
  text.textContent = `Delete ${item.name}? It leaves the list and the reports; its stock history stays,`
    + " and its name and codes become free for a new product.";
  failure.hidden = true;
  openDialog(dialog);
  dialog.querySelector(".cancel").focus(); // the safe choice first
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  whileBusy(confirmButton, async () => {
    try {
      await write(action, "DELETE", `/products/${product.id}`);
      dialog.close();
      onDeleted(product);
    } catch (error) {
      failure.textContent = error.message;
      failure.hidden = false;
    }
  });
});
