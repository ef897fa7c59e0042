// The page's status area (role="alert"): one message at a time, an error or a confirmation,
// replaced by the next one; confirmations fade after a while, errors stay until dismissed.

const area = document.getElementById("status");
const text = document.getElementById("status-text");
let timer = 0;

function show(kind, message) {
  clearTimeout(timer);
  area.dataset.kind = kind;
  text.textContent = message;
  area.hidden = false;
  if (kind === "ok") timer = setTimeout(clear, 6000);
}

function clear() {
  area.hidden = true;
  text.textContent = "";
}

export const showError = (message) => show("error", message);
export const showInfo = (message) => show("ok", message);

/** Show any failure: ApiError messages are already plain words; anything else is a bug. */
export function report(error) {
  if (error?.name === "AbortError") return;
  showError(error?.status !== undefined ? error.message : "Something went wrong on this page; reload it and try again.");
  if (error?.status === undefined) console.error(error);
}

document.getElementById("status-close").addEventListener("click", clear);
