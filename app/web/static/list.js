// The product list: search as you type, the "low stock only" switch, one page of rows at a time
// (cursor paging through the `Link: rel="next"` header; offset paging from X-Total-Count when the
// server sends no Link), low-stock marking, where each product's stock is (when the shop has
// several locations: one GET /products/{id}/stock per row shown), rows updated in place, and
// one product shown alone.

import { getJson, nextLink } from "./api.js";
import { flash, formatCount, h } from "./dom.js";
import { levelNodes, severalLocations } from "./locations.js";
import { report } from "./status.js";

const PAGE_SIZE = 50;
const ACTIONS = [
  ["receive", "Receive"],
  ["sell", "Sell"],
  ["damaged", "Damaged"],
  ["count", "Count"],
  ["transfer", "Move"],
  ["history", "History"],
  ["edit", "Edit"],
  ["delete", "Delete"],
];

const rows = document.getElementById("product-rows");
const search = document.getElementById("search");
const lowStock = document.getElementById("low-stock");
const empty = document.getElementById("empty");
const info = document.getElementById("page-info");
const prevButton = document.getElementById("page-prev");
const nextButton = document.getElementById("page-next");
const banner = document.getElementById("focus-banner");

const shown = new Map(); // id -> product, for the rows on screen
let current = { path: "", start: 0, count: 0, total: null };
let earlier = []; // the pages before the current one, for "Previous"
let nextPath = null;
let inFlight = null;
let onFilters = () => {};

const isLow = (product) => product.quantity <= (product.reorder_level ?? 0);

/** The filters as query parameters (shared with the CSV export). */
function filterParams() {
  const params = new URLSearchParams();
  const q = search.value.trim();
  if (q) params.set("q", q);
  if (lowStock.checked) params.set("low_stock", "true");
  return params;
}

function firstPath(extra = {}) {
  const params = filterParams();
  params.set("limit", PAGE_SIZE);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  return `/products?${params}`;
}

async function load(path, start) {
  inFlight?.abort();
  const controller = (inFlight = new AbortController());
  rows.setAttribute("aria-busy", "true");
  try {
    const { data, headers } = await getJson(path, controller.signal);
    const totalHeader = headers.get("X-Total-Count");
    current = { path, start, count: data.length, total: totalHeader === null ? null : Number(totalHeader) };
    nextPath = nextLink(headers);
    if (!nextPath && current.total !== null && start + data.length < current.total) {
      nextPath = firstPath({ offset: start + data.length }); // a server without cursors
    }
    render(data);
    return true;
  } catch (error) {
    if (error.name !== "AbortError" && current.path === "") info.textContent = "The products could not be loaded.";
    report(error);
    return false;
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      rows.removeAttribute("aria-busy");
    }
  }
}

function render(products) {
  banner.hidden = true;
  shown.clear();
  rows.replaceChildren(...products.map(renderRow));
  empty.textContent = lowStock.checked ? "Nothing is low on stock." : "No products match.";
  showPageInfo();
  prevButton.disabled = earlier.length === 0;
  nextButton.disabled = nextPath === null;
  performance.mark("products-shown"); // User Timing: when rows are on screen (the browser tests read it)
  showLevels([...rows.children]);
}

/** Fill each row's breakdown by location (only when there is more than one location, and
 * only for products that hold some: one request each; a row replaced meanwhile is left alone). */
export async function showLevels(rowsShown = [...rows.children]) {
  const several = severalLocations();
  await Promise.all(rowsShown.map(async (row) => {
    const cell = row.querySelector("[data-field=levels]");
    cell.textContent = "";
    const product = shown.get(Number(row.dataset.productId));
    if (!several || !product?.quantity) return;
    try {
      const { data } = await getJson(`/products/${product.id}/stock`);
      if (row.isConnected) cell.replaceChildren(...levelNodes(data));
    } catch (error) {
      report(error);
    }
  }));
}

function renderRow(product) {
  shown.set(product.id, product);
  const low = isLow(product);
  return h(
    "tr",
    { class: low ? "low" : null, dataset: { productId: product.id, testid: "product-row", lowStock: low } },
    h("td", { class: "name", "data-label": "Product", title: product.description ? `${product.name}: ${product.description}` : product.name },
      h("span", { class: "product-name", dataset: { field: "name" } }, product.name),
      product.description ? h("span", { class: "description" }, product.description) : null),
    h("td", { class: "codes", "data-label": "SKU / barcode" },
      h("span", { class: "sku", dataset: { field: "sku" } }, product.sku ?? ""),
      h("span", { class: "mono", dataset: { field: "barcode" } }, product.barcode ?? "")),
    h("td", { class: "num", "data-label": "Price", dataset: { field: "price" } }, product.price),
    h("td", { class: "num qty", "data-label": "On hand" },
      h("span", { dataset: { field: "quantity" } }, formatCount(product.quantity)),
      low ? h("span", { class: "badge", title: "At or below its reorder level" }, "Low") : null,
      h("span", { class: "levels", dataset: { field: "levels", testid: "levels" } })),
    h("td", { class: "num", "data-label": "Reorder at", dataset: { field: "reorder_level" } },
      formatCount(product.reorder_level ?? 0)),
    h("td", { class: "actions" }, h("div", { class: "row-actions" },
      ACTIONS.map(([action, label]) =>
        h("button", {
          type: "button",
          class: `act act-${action}`,
          dataset: { action, testid: `action-${action}` },
          "aria-label": `${label}: ${product.name}`,
        }, label)))),
  );
}

/** Reload the first page with the current filters. */
export function reload() {
  earlier = [];
  onFilters(filterParams());
  return load(firstPath(), 0);
}

/** Put the product the API answered in place of its row, if it is on screen. */
export function updateRow(product) {
  const old = rows.querySelector(`tr[data-product-id="${product.id}"]`);
  if (!old) return;
  const row = renderRow(product);
  // A dialog opened from this row gave focus back to its button: keep it on the new row's.
  const focused = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  old.replaceWith(row);
  if (focused) row.querySelector(`[data-action="${focused}"]`).focus();
  flash(row);
  showLevels([row]);
}

/** Show `product` alone, with a banner saying why and "Show all products" (a barcode hit). */
export function showOnly(product, why) {
  inFlight?.abort();
  shown.clear();
  const row = renderRow(product);
  rows.replaceChildren(row);
  empty.hidden = true;
  document.getElementById("focus-text").textContent = why;
  banner.hidden = false;
  prevButton.disabled = nextButton.disabled = true;
  info.textContent = "1 product";
  flash(row);
  showLevels([row]);
}

/** Scroll to a product's row, highlight it and put the focus on its first button (so that the
 * keyboard continues there); show it alone when it is not on this page. */
export function reveal(product, why) {
  let row = rows.querySelector(`tr[data-product-id="${product.id}"]`);
  if (!row) {
    showOnly(product, why);
    row = rows.querySelector(`tr[data-product-id="${product.id}"]`);
  } else {
    row.scrollIntoView({ block: "center" });
    flash(row);
  }
  row.querySelector("button[data-action]")?.focus({ preventScroll: true });
}

/** Take a deleted product's row off the page (and out of the count). */
export function removeRow(product) {
  rows.querySelector(`tr[data-product-id="${product.id}"]`)?.remove();
  shown.delete(product.id);
  if (current.total !== null) current.total -= 1;
  current.count = Math.max(0, current.count - 1);
  showPageInfo();
}

function showPageInfo() {
  const { start, count, total } = current;
  empty.hidden = count > 0;
  const range = count ? `${formatCount(start + 1)}–${formatCount(start + count)}` : "0";
  info.textContent = total === null ? `Products ${range}` : `Products ${range} of ${formatCount(total)}`;
}

export function initList({ onAction, onFiltersChange }) {
  onFilters = onFiltersChange;
  let debounce = 0;
  search.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(reload, 200);
  });
  lowStock.addEventListener("change", reload);
  document.getElementById("focus-clear").addEventListener("click", () => {
    reload();
    search.focus();
  });
  nextButton.addEventListener("click", async () => {
    const from = current;
    if (nextPath && (await load(nextPath, from.start + from.count))) {
      earlier.push(from);
      prevButton.disabled = false;
      rows.closest("table").scrollIntoView({ block: "start" });
    }
  });
  prevButton.addEventListener("click", async () => {
    const page = earlier.at(-1);
    if (page && (await load(page.path, page.start))) {
      earlier.pop();
      prevButton.disabled = earlier.length === 0;
      rows.closest("table").scrollIntoView({ block: "start" });
    }
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const id = Number(button.closest("tr").dataset.productId);
    onAction(button.dataset.action, shown.get(id));
  });
  return reload();
}
