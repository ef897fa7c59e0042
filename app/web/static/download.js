// CSV downloads through the API: a link's click fetches its href with the API key (a plain
// link would go without it) and saves the answer under a dated name; an error shows as a message.

import { request } from "./api.js";
import { h } from "./dom.js";
import { report as showFailure } from "./status.js";

/** Make `link` download its href as `<stem>-<today>.csv`. */
export function downloadOnClick(link, stem) {
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    link.setAttribute("aria-disabled", "true");
    try {
      const { data } = await request("GET", link.getAttribute("href"), { accept: "text/csv, application/json" });
      const url = URL.createObjectURL(data);
      const stamp = new Date().toISOString().slice(0, 10);
      h("a", { href: url, download: `${stem}-${stamp}.csv` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      showFailure(error);
    } finally {
      link.removeAttribute("aria-disabled");
    }
  });
}
