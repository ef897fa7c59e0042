// The shop's locations (GET /locations) as the page knows them: the list, the default one, the
// location stock actions apply to (the #location-picker in the toolbar, remembered in this
// browser), names by id, and listeners told whenever the list changes.

import { getJson } from "./api.js";
import { formatCount, h } from "./dom.js";
import { report } from "./status.js";

const STORED = "inventory.location";
const picker = document.getElementById("location-picker");

let known = [];
const listeners = [];

export const allLocations = () => known;
export const locationName = (id) => known.find((place) => place.id === id)?.name ?? `Location ${id}`;
/** Whether the shop keeps stock in more than one place (else the page shows no breakdown). */
export const severalLocations = () => known.length > 1;

/** "Main 6": what a location holds (an entry of GET /products/{id}/stock). */
const describeLevel = (level) => `${locationName(level.location_id)} ${formatCount(level.quantity)}`;

/** "Main 6 · Back room 4" as nodes: each location's part kept on one line, the line broken only
 * between them. */
export function levelNodes(levels) {
  return levels.flatMap((level, i) => [i ? " · " : "", h("span", { class: "level" }, describeLevel(level))]);
}

/** The location the stock actions apply to: the picked one, else the default. */
export function currentLocation() {
  const picked = Number(picker.value);
  return known.find((place) => place.id === picked) ?? known.find((place) => place.default) ?? null;
}

/** `listener()` runs after every reload of the list. */
export function onLocationsChange(listener) {
  listeners.push(listener);
}

function renderPicker() {
  const wanted = Number(picker.value || localStorage.getItem(STORED));
  picker.replaceChildren(
    ...known.map((place) =>
      h("option", { value: place.id }, place.default ? `${place.name} (default)` : place.name)),
  );
  const chosen = known.find((place) => place.id === wanted) ?? known.find((place) => place.default);
  if (chosen) picker.value = String(chosen.id);
}

/** Read the locations again, and tell every listener. */
export async function loadLocations() {
  try {
    known = (await getJson("/locations")).data;
  } catch (error) {
    report(error);
    return;
  }
  renderPicker();
  for (const listener of listeners) listener();
}

picker.addEventListener("change", () => localStorage.setItem(STORED, picker.value));
