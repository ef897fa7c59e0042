// Entry point of the shop's page: wires the list's row buttons to the dialogs and the
// dialogs' answers back into the list. Every view lives in its own module.
//
// Hooks for browser tests (ids; the same names as data-testid unless noted):
//   list:     #search, #low-stock (checkbox), #barcode-scan (Enter submits #scan-form),
//             #product-rows [data-testid=product-list]; each row tr[data-product-id]
//             [data-testid=product-row][data-low-stock=true|false]; cells [data-field=name|sku|
//             barcode|price|quantity|reorder_level|levels] (levels: "Main 6 · Back room 4" when
//             there are several locations); row buttons [data-testid=action-receive|action-sell|
//             action-damaged|action-count|action-transfer|action-history|action-edit|action-delete];
//             #page-prev, #page-next, #page-info, #empty, #focus-banner + #focus-clear (barcode hit)
//   status:   #status (role=alert, data-kind=error|ok), its text in #status-text
//   top bar:  #add-product, #locations-open, #movements-open, #reports-open, #import-open, #export-csv (href = the
//             export URL with the filters), #key-open; toolbar: #location-picker (where stock
//             actions happen)
//   product:  #product-dialog (#product-value: average cost and stock value, when editing), fields #product-name, #product-price, #product-quantity (add only),
//             #product-unit-cost (add only), #product-sku, #product-barcode, #product-reorder
//             (testid product-reorder-level),
//             #product-description; errors #error-<api field> (error-name, error-price, ...);
//             #product-error (dialog-level), #product-submit
//   stock:    #stock-dialog, #stock-reason (received|returned|sold|damaged|count), #stock-quantity,
//             #stock-note, #stock-unit-cost (received only; #stock-cost-hint), #stock-preview,
//             #stock-location ("At Back room"), #error-stock-quantity,
//             #stock-error (e.g. not enough stock), #stock-submit
//   transfer: #transfer-dialog, #transfer-from, #transfer-to, #transfer-quantity, #transfer-levels,
//             #transfer-note, #transfer-error, #transfer-submit
//   locations: #locations-dialog, #locations-list of li[data-testid=location-item][data-location-id]
//             [data-default] with [data-field=location-name] and buttons [data-testid=location-rename|
//             location-make-default|location-delete], the rename form's [data-testid=
//             location-rename-input|location-rename-save]; #location-name, #location-add,
//             #locations-error
//   history:  #history-dialog, #history-value (average cost and stock value), #history-rows
//             [data-testid=history-list] of tr[data-testid=movement][data-movement-id][data-reason]
//             (cells [data-field=location|unit_cost|value_delta]), #history-older,
//             #history-empty, #history-error
//   import:   #import-dialog, #import-file, #import-report (p.report[data-created|updated|unchanged],
//             or table[data-testid=import-errors] of tr[data-testid=import-bad-cell]),
//             #import-error, #import-confirm
//   movements: #movements-dialog, #movements-reason, #movements-since, #movements-until (dates),
//             #movements-today, #movements-rows of tr[data-testid=movement] (cells [data-field=
//             product|location|delta|unit_cost|value_delta]), #movements-older, #movements-empty
//   reports:  #reports-dialog, #value-now, #value-detail, #valuation-csv, canvases #value-chart and
//             #sales-chart (Chart.getChart(canvas) holds their data), #sales-bucket (day|week),
//             #sales-rows of tr[data-testid=sales-period][data-period-start] with cells
//             [data-field=units_sold|revenue|cost_of_goods|margin], #reports-error
//   delete:   #delete-dialog, #delete-text, #delete-confirm, #delete-error (its .cancel: "Keep it")
//   API key:  #key-dialog, #key-input, #key-submit, #key-forget
// Every dialog closes with Escape or its .cancel button.

import "./scan.js";
import { setExportFilters, openImport } from "./csv.js";
import { openDelete } from "./delete.js";
import { openHistory } from "./history.js";
import { initList, reload, removeRow, reveal, showLevels, updateRow } from "./list.js";
import { openLocations } from "./locations-dialog.js";
import { openMovements } from "./movements.js";
import { loadLocations, onLocationsChange } from "./locations.js";
import { openProductForm } from "./product-form.js";
import { openReports } from "./reports.js";
import { showInfo } from "./status.js";
import { ACTION_REASONS, openStock } from "./stock.js";
import { openTransfer } from "./transfer.js";

function onAction(action, product) {
  if (action === "edit") {
    openProductForm(product, (saved) => {
      updateRow(saved);
      showInfo(`Saved ${saved.name}.`);
    });
  } else if (action === "history") {
    openHistory(product);
  } else if (action === "delete") {
    openDelete(product, (deleted) => {
      removeRow(deleted);
      showInfo(`Deleted ${deleted.name}; its history stays.`);
    });
  } else if (action === "transfer") {
    openTransfer(product, (_, message) => {
      updateRow(product);
      showInfo(message);
    });
  } else if (action in ACTION_REASONS) {
    openStock(product, action, (updated, message) => {
      updateRow(updated);
      showInfo(message);
    });
  }
}

document.getElementById("add-product").addEventListener("click", () =>
  openProductForm(null, async (created) => {
    showInfo(`Added ${created.name}.`);
    await reload();
    reveal(created, `New product: ${created.name}`);
  }),
);

document.getElementById("import-open").addEventListener("click", () => openImport(reload));
document.getElementById("reports-open").addEventListener("click", openReports);
document.getElementById("movements-open").addEventListener("click", openMovements);
document.getElementById("locations-open").addEventListener("click", openLocations);

for (const button of document.querySelectorAll("dialog .cancel")) {
  button.addEventListener("click", () => button.closest("dialog").close());
}

onLocationsChange(() => showLevels()); // the first rows may come before the locations do
loadLocations();
initList({ onAction, onFiltersChange: setExportFilters });
