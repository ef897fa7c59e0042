// The "Locations" dialog: every location with rename, make default and delete (the API refuses
// to delete the default one, or one that stock movements name, and says why), and a form to add
// one. Each change reloads the locations (app/web/static/locations.js), which updates the picker.

import { WriteAction, write } from "./api.js";
import { h, openDialog, whileBusy } from "./dom.js";
import { clearErrors, showErrors } from "./form.js";
import { allLocations, loadLocations, onLocationsChange } from "./locations.js";
import { showInfo } from "./status.js";

const dialog = document.getElementById("locations-dialog");
const list = document.getElementById("locations-list");
const addForm = document.getElementById("location-add-form");
const nameInput = document.getElementById("location-name");
const addButton = document.getElementById("location-add");
const addFields = { name: { input: nameInput, error: document.getElementById("error-location-name") } };

/** Run one change of a location; on success reload the list and say `message(answer)`. */
async function change(button, method, path, body, message) {
  await whileBusy(button, async () => {
    try {
      const answer = await write(new WriteAction(), method, path, body);
      clearErrors(dialog);
      await loadLocations();
      showInfo(message(answer));
    } catch (error) {
      showErrors(dialog, error, addFields);
    }
  });
}

function renameForm(place, item) {
  const input = h("input", {
    value: place.name,
    maxlength: 100,
    "aria-label": `New name for ${place.name}`,
    dataset: { testid: "location-rename-input" },
  });
  const save = h("button", { type: "submit", class: "primary", dataset: { testid: "location-rename-save" } }, "Save");
  const form = h("form", { class: "rename" }, input, save);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    change(save, "PATCH", `/locations/${place.id}`, { name: input.value.trim() }, (saved) => `Renamed to ${saved.name}.`);
  });
  item.querySelector(".location-name").replaceWith(form);
  input.focus();
  input.select();
}

function renderItem(place) {
  const item = h(
    "li",
    { dataset: { testid: "location-item", locationId: place.id, default: place.default } },
    h("span", { class: "location-name", dataset: { field: "location-name" } }, place.name),
    place.default ? h("span", { class: "badge default" }, "Default") : null,
  );
  const actions = h("span", { class: "location-actions" });
  actions.append(h("button", {
    type: "button",
    dataset: { testid: "location-rename" },
    "aria-label": `Rename ${place.name}`,
    onclick: () => renameForm(place, item),
  }, "Rename"));
  if (!place.default) {
    actions.append(
      h("button", {
        type: "button",
        dataset: { testid: "location-make-default" },
        "aria-label": `Make default: ${place.name}`,
        onclick: (event) => change(event.currentTarget, "PATCH", `/locations/${place.id}`, { default: true },
          () => `${place.name} is now the default location.`),
      }, "Make default"),
      h("button", {
        type: "button",
        class: "danger",
        dataset: { testid: "location-delete" },
        "aria-label": `Delete ${place.name}`,
        onclick: (event) => change(event.currentTarget, "DELETE", `/locations/${place.id}`, undefined,
          () => `Deleted ${place.name}.`),
      }, "Delete"),
    );
  }
  item.append(actions);
  return item;
}

function render() {
  list.replaceChildren(...allLocations().map(renderItem));
}

addForm.addEventListener("submit", (event) => {
  event.preventDefault();
  change(addButton, "POST", "/locations", { name: nameInput.value.trim() }, (created) => {
    nameInput.value = "";
    return `Added the location ${created.name}.`;
  });
});

export function openLocations() {
  clearErrors(dialog);
  render();
  openDialog(dialog);
}

onLocationsChange(render);
