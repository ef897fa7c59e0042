// CSV out and in: the export link follows the list's filters (GET /products.csv, fetched so that
// the API key goes along and an error shows as a message); the import dialog checks the file
// with ?dry_run=true, shows the report (and the SKUs and barcodes it would change) or each bad
// cell, then "Import now" sends it for real.

import { WriteAction, write } from "./api.js";
import { downloadOnClick } from "./download.js";
import { formatCount, h, openDialog, whileBusy } from "./dom.js";
import { showInfo } from "./status.js";

const exportLink = document.getElementById("export-csv");
const dialog = document.getElementById("import-dialog");
const fileInput = document.getElementById("import-file");
const failure = document.getElementById("import-error");
const summary = document.getElementById("import-report");
const confirmButton = document.getElementById("import-confirm");

let file = null;
let checkAction = null;
let importAction = null;
let onImported = () => {};

/** Point the export link at the products the list currently shows (no paging). */
export function setExportFilters(params) {
  const query = params.toString();
  exportLink.href = query ? `/products.csv?${query}` : "/products.csv";
}

downloadOnClick(exportLink, "products");

export function openImport(imported) {
  onImported = imported;
  fileInput.value = "";
  file = null;
  resetReport();
  openDialog(dialog);
}

function resetReport() {
  failure.hidden = true;
  summary.replaceChildren();
  confirmButton.hidden = true;
}

function counts(result, verb) {
  const { created = 0, updated = 0, unchanged = 0 } = result ?? {};
  return h("p", { class: "report", dataset: { created, updated, unchanged } },
    `${verb}: ${formatCount(created)} new, ${formatCount(updated)} updated, ${formatCount(unchanged)} unchanged.`);
}

const CODE_NAMES = { sku: "SKU", barcode: "Barcode" };

/** The SKUs and barcodes the file changes on existing products (a lost leading zero shows). */
function codeChanges(result) {
  const changes = Array.isArray(result?.changes) ? result.changes : [];
  if (!changes.length) return "";
  const code = (value) => (value === null ? "(none)" : value);
  return h("div", {},
    h("p", { class: "report warn" }, `${formatCount(changes.length)} code(s) would change. A spreadsheet may have dropped leading zeros: check them before you import.`),
    h("div", { class: "scroll", tabindex: 0, role: "region", "aria-label": "Codes that would change" }, h("table", { class: "bad-cells", dataset: { testid: "import-changes" } },
      h("thead", {}, h("tr", {}, ...["Line", "Column", "Now", "After the import"].map((name) => h("th", { scope: "col" }, name)))),
      h("tbody", {}, changes.map((change) => h("tr", { dataset: { testid: "import-change" } },
        h("td", { "data-label": "Line" }, String(change.line)),
        h("td", { "data-label": "Column" }, CODE_NAMES[change.column] ?? change.column),
        h("td", { "data-label": "Now" }, code(change.before)),
        h("td", { "data-label": "After the import" }, code(change.after))))))));
}

/** One bad cell, whatever the exact key names: line/column/reason, or loc/msg. */
function badCell(entry) {
  const loc = Array.isArray(entry?.loc) ? entry.loc : [];
  const line = entry?.line ?? entry?.row ?? loc.find((part) => typeof part === "number") ?? "";
  const column = entry?.column ?? entry?.field ?? loc.filter((part) => typeof part === "string" && part !== "body").at(-1) ?? "";
  const reason = entry?.reason ?? entry?.msg ?? entry?.message ?? (typeof entry === "string" ? entry : "");
  return h("tr", { dataset: { testid: "import-bad-cell" } },
    h("td", { "data-label": "Line" }, String(line)),
    h("td", { "data-label": "Column" }, String(column)),
    h("td", { "data-label": "Problem" }, String(reason)));
}

function showImportError(error) {
  if (error.status === 422 && Array.isArray(error.detail)) {
    summary.replaceChildren(
      h("p", { class: "report bad" }, `The file has ${formatCount(error.detail.length)} problem(s); nothing was imported. Fix them and choose the file again.`),
      h("div", { class: "scroll", tabindex: 0, role: "region", "aria-label": "Problems in the file" }, h("table", { class: "bad-cells", dataset: { testid: "import-errors" } },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Line"), h("th", { scope: "col" }, "Column"), h("th", { scope: "col" }, "Problem"))),
        h("tbody", {}, error.detail.map(badCell)))),
    );
  } else {
    failure.textContent = error.status !== undefined ? error.message : "Something went wrong on this page; reload it and try again.";
    failure.hidden = false;
  }
}

async function check() {
  resetReport();
  file = fileInput.files[0] ?? null;
  if (!file) return;
  checkAction = new WriteAction();
  importAction = new WriteAction();
  summary.replaceChildren(h("p", { class: "hint" }, `Checking ${file.name}…`));
  try {
    const result = await write(checkAction, "POST", "/products/import?dry_run=true", file, "text/csv");
    const changes = (result?.created ?? 0) + (result?.updated ?? 0);
    summary.replaceChildren(counts(result, "Check passed; importing would make"), codeChanges(result),
      changes ? "" : h("p", { class: "hint" }, "Nothing would change."));
    confirmButton.hidden = changes === 0;
  } catch (error) {
    summary.replaceChildren();
    showImportError(error);
  }
}

fileInput.addEventListener("change", check);

confirmButton.addEventListener("click", () =>
  whileBusy(confirmButton, async () => {
    try {
      const result = await write(importAction, "POST", "/products/import", file, "text/csv");
      summary.replaceChildren(counts(result, "Imported"));
      confirmButton.hidden = true;
      showInfo(`Imported ${file.name}.`);
      onImported();
    } catch (error) {
      showImportError(error);
    }
  }),
);
