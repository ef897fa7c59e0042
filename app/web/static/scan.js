// The barcode field: a USB scanner types the digits and presses Enter; the product with that
// barcode (GET /products?barcode=...) is shown alone, ready for its row buttons, or a message says
// that no product has it.

import { getJson } from "./api.js";
import { showOnly } from "./list.js";
import { report, showError } from "./status.js";

const form = document.getElementById("scan-form");
const input = document.getElementById("barcode-scan");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = input.value.trim();
  input.select(); // the next scan replaces this one
  if (!code) return;
  if (!/^\d+$/.test(code)) {
    showError(`“${code}” is not a barcode: a barcode has digits only.`);
    return;
  }
  try {
    const { data } = await getJson(`/products?barcode=${encodeURIComponent(code)}&limit=1`);
    // Checked here too: a server that ignores the filter answers with other products.
    const product = data.find((item) => item.barcode === code);
    if (product) showOnly(product, `Barcode ${code}: ${product.name}`);
    else showError(`No product has barcode ${code}.`);
  } catch (error) {
    report(error);
  }
});
