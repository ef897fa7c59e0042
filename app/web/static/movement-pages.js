// Stock movements page by page in a table, newest first: a first page, then "Older movements"
// following the Link rel="next" cursor (or before_id when no Link is sent); a product's history
// and the movements of every product both show theirs this way.

import { getJson, nextLink } from "./api.js";
import { whileBusy } from "./dom.js";

export class MovementPages {
  #parts;
  #base = "";
  #olderPath = null;
  #controller = null;

  /** `parts`: the table body `rows`, `empty` and `failure` messages, the `older` button, the
   * `page` size and `rowsOf(movements)`, which makes (maybe asynchronously) their rows. */
  constructor(parts) {
    this.#parts = parts;
    parts.older.addEventListener("click", () => whileBusy(parts.older, () => this.#load(this.#olderPath)));
  }

  /** Show the first page of `path` (a URL with its query, `limit` included). */
  show(path) {
    const { rows, failure, empty, older } = this.#parts;
    this.abort();
    this.#base = path;
    rows.replaceChildren();
    failure.hidden = empty.hidden = older.hidden = true;
    return this.#load(path);
  }

  abort() {
    this.#controller?.abort();
  }

  async #load(path) {
    const { rows, failure, empty, older, page, rowsOf } = this.#parts;
    const controller = (this.#controller = new AbortController());
    try {
      const { data, headers } = await getJson(path, controller.signal);
      const made = await rowsOf(data);
      if (controller.signal.aborted) return;
      rows.append(...made);
      this.#olderPath = nextLink(headers);
      if (!this.#olderPath && data.length === page) this.#olderPath = `${this.#base}&before_id=${data.at(-1).id}`;
      older.hidden = this.#olderPath === null;
      empty.hidden = rows.children.length > 0;
    } catch (error) {
      if (error.name === "AbortError") return;
      failure.textContent = error.message;
      failure.hidden = false;
      older.hidden = true;
    }
  }
}
