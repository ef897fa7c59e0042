// The product list: search as you type, the "low stock only" switch, one page of rows at a time
// (cursor paging through the `Link: rel="next"` header; offset paging from X-Total-Count when the
// server sends no Link), low-stock marking, rows updated in place, and a row found by barcode.

import { getJson, nextLink } from "./api.js";
import { flash, formatCount, h } from "./dom.js";
import { report } from "./status.js";

const PAGE_SIZE = 50;
const ACTIONS = [
  ["receive", "Receive"],
  ["sell", "Sell"],
  ["damaged", "Damaged"],
  ["count", "Count"],
  ["history", "History"],
  ["edit", "Edit"],
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
  const { start, count, total } = current;
  empty.hidden = count > 0;
  empty.textContent = lowStock.checked ? "Nothing is low on stock." : "No products match.";
  const range = count ? `${formatCount(start + 1)}–${formatCount(start + count)}` : "0";
  info.textContent = total === null ? `Products ${range}` : `Products ${range} of ${formatCount(total)}`;
  prevButton.disabled = earlier.length === 0;
  nextButton.disabled = nextPath === null;
}

function renderRow(product) {
  shown.set(product.id, product);
  const low = isLow(product);
  return h(
    "tr",
    { class: low ? "low" : null, dataset: { productId: product.id, testid: "product-row", lowStock: low } },
    h("td", { class: "name", "data-label": "Product" },
      h("span", { class: "product-name", dataset: { field: "name" } }, product.name),
      product.description ? h("span", { class: "description" }, product.description) : null),
    h("td", { "data-label": "SKU", dataset: { field: "sku" } }, product.sku ?? ""),
    h("td", { "data-label": "Barcode", class: "mono", dataset: { field: "barcode" } }, product.barcode ?? ""),
    h("td", { class: "num", "data-label": "Price", dataset: { field: "price" } }, product.price),
    h("td", { class: "num qty", "data-label": "On hand" },
      h("span", { dataset: { field: "quantity" } }, formatCount(product.quantity)),
      low ? h("span", { class: "badge", title: "At or below its reorder level" }, "Low") : null),
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
  old.replaceWith(row);
  flash(row);
}

/** Scroll to a product's row and highlight it; show it alone when it is not on this page. */
export function reveal(product, why) {
  let row = rows.querySelector(`tr[data-product-id="${product.id}"]`);
  if (!row) {
    inFlight?.abort();
    shown.clear();
    row = renderRow(product);
    rows.replaceChildren(row);
    empty.hidden = true;
    document.getElementById("focus-text").textContent = why;
    banner.hidden = false;
    prevButton.disabled = nextButton.disabled = true;
    info.textContent = "1 product";
  }
  row.scrollIntoView({ block: "center", behavior: "smooth" });
  flash(row);
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
