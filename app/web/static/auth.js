// The API key: kept in sessionStorage only (gone when the tab closes), asked for with a small
// dialog when the API answers 401, or when the owner clicks "API key" to change or forget it.

import { openDialog } from "./dom.js";

const STORAGE = "inventory.apiKey";
const dialog = document.getElementById("key-dialog");
const form = dialog.querySelector("form");
const input = document.getElementById("key-input");
const message = document.getElementById("key-message");
let pending = null;

export const apiKey = () => sessionStorage.getItem(STORAGE) || "";

/** Resolves to the key entered, or null if the owner cancels. Concurrent callers share one dialog. */
export function askForKey(refused = false) {
  if (pending) return pending;
  message.textContent = refused
    ? "That API key was not accepted. Enter a valid key."
    : "This shop's service needs an API key. Enter the key you were given.";
  input.value = "";
  dialog.returnValue = ""; // Escape keeps the previous value otherwise
  pending = new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        pending = null;
        const key = dialog.returnValue === "ok" ? input.value.trim() : "";
        if (key) sessionStorage.setItem(STORAGE, key);
        resolve(key || null);
      },
      { once: true },
    );
  });
  openDialog(dialog);
  return pending;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.value.trim()) dialog.close("ok");
});

document.getElementById("key-forget").addEventListener("click", () => {
  sessionStorage.removeItem(STORAGE);
  dialog.close("forget");
});

document.getElementById("key-open").addEventListener("click", () => {
  askForKey().then((key) => {
    if (key) location.reload();
  });
});
