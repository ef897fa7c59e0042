// Small DOM helpers shared by the views: element building (text only, never HTML from data),
// number and date formatting, modal dialogs and the "busy while in flight" button guard.

/** Build an element: h("td", {class: "x", dataset: {id: 1}}, "text", childNode, ...). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== ""));
  return node;
}

const wholeNumber = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "long" }); // seconds, zone

export const formatCount = (n) => wholeNumber.format(n);
export const formatTime = (iso) => dateTime.format(new Date(iso));
export const formatDelta = (n) => (n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : "±0");

/** Open a <dialog> modally, focus its first field, give focus back to the opener on close
 * (unless the focus has moved on meanwhile). */
export function openDialog(dialog) {
  const opener = document.activeElement;
  dialog.addEventListener("close", () => {
    const now = document.activeElement;
    // unless what the dialog did has put the focus somewhere already (a new product's row)
    if (!now || now === document.body || dialog.contains(now)) opener?.focus?.();
  }, { once: true });
  dialog.showModal();
  for (const candidate of dialog.querySelectorAll("[autofocus], input, select, textarea, button")) {
    candidate.focus();
    if (document.activeElement === candidate) break; // hidden or disabled ones refuse focus
  }
}

/** Run `task` with `button` disabled (a second click while in flight does nothing). */
export async function whileBusy(button, task) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await task();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Briefly highlight an element (a row that just changed or was found by its barcode). */
export function flash(element) {
  element.classList.remove("flash");
  void element.offsetWidth; // restart the animation
  element.classList.add("flash");
}
