// Error display inside a dialog: each API validation error next to the field it names,
// a 409 next to the field its detail names, everything else in the dialog's alert line.

import { conflictField, fieldErrors } from "./errors.js";

export function clearErrors(dialog) {
  for (const node of dialog.querySelectorAll(".field-error")) node.textContent = "";
  for (const node of dialog.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  const line = dialog.querySelector(".form-error");
  line.textContent = "";
  line.hidden = true;
}

/**
 * Show `error` in `dialog`. fields maps an API field name to {input, error} elements;
 * errors naming a field not in the map go to the dialog's alert line, with the field's name.
 */
export function showErrors(dialog, error, fields) {
  clearErrors(dialog);
  let byField = {};
  if (error?.status === 422) byField = fieldErrors(error.detail);
  else if (error?.status === 409 && conflictField(error.detail) in fields) {
    byField = { [conflictField(error.detail)]: error.message };
  }
  const leftover = [];
  let firstInvalid = null;
  for (const [field, message] of Object.entries(byField)) {
    const target = fields[field];
    if (!target) {
      leftover.push(field ? `${field.replaceAll("_", " ")}: ${message}` : message);
      continue;
    }
    target.error.textContent = message;
    target.input.setAttribute("aria-invalid", "true");
    firstInvalid ??= target.input;
  }
  const line = dialog.querySelector(".form-error");
  if (leftover.length) line.textContent = leftover.join(" ");
  else if (firstInvalid) line.textContent = "Please check the marked field.";
  else if (error?.status !== undefined) line.textContent = error.message;
  else line.textContent = "Something went wrong on this page; reload it and try again.";
  line.hidden = false;
  firstInvalid?.focus();
}
