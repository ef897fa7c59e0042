// A product's movement history (GET /products/{id}/movements), newest first, 20 at a time, each
// with its location and the quantity there after it; "Older movements" pages back. The
// product's average cost and stock value head it; each movement shows the unit cost it was
// valued at and what it did to the value.

import { openDialog } from "./dom.js";
import { MovementPages } from "./movement-pages.js";
import { movementRow } from "./movement-row.js";

const PAGE = 20;

const dialog = document.getElementById("history-dialog");
const title = document.getElementById("history-title");
const figures = document.getElementById("history-value");
const pages = new MovementPages({
  rows: document.getElementById("history-rows"),
  empty: document.getElementById("history-empty"),
  failure: document.getElementById("history-error"),
  older: document.getElementById("history-older"),
  page: PAGE,
  rowsOf: (movements) => movements.map((move) => movementRow(move)),
});

export function openHistory(product) {
  title.textContent = `History of ${product.name}`;
  figures.textContent = `Average cost ${product.average_cost} · stock value ${product.stock_value}`;
  openDialog(dialog);
  return pages.show(`/products/${product.id}/movements?limit=${PAGE}`);
}

dialog.addEventListener("close", () => pages.abort());
