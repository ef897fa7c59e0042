// The reports view: the stock's value now (GET /reports/valuation), a chart of its value at the
// end of each of the last 90 days (GET /reports/valuation/series), sales, cost of goods and
// margin per day or week as a chart and a table (GET /reports/sales), and the valuation CSV.
// Periods are the browser's own days (its IANA time zone goes along as tz). The charts are
// Chart.js, vendored in /static/vendor and loaded the first time the view opens.

import { getJson } from "./api.js";
import { downloadOnClick } from "./download.js";
import { formatCount, h, openDialog } from "./dom.js";

const CHART_LIBRARY = "/static/vendor/chart.umd.min.js";
const SERIES_DAYS = 90;
const SALES_PERIODS = { day: { count: 14, days: 1 }, week: { count: 12, days: 7 } };
const COLOURS = { value: "#1d4ed8", revenue: "#15803d", cost: "#b45309", margin: "#7c3aed" };

const dialog = document.getElementById("reports-dialog");
const failure = document.getElementById("reports-error");
const valueNow = document.getElementById("value-now");
const valueDetail = document.getElementById("value-detail");
const bucket = document.getElementById("sales-bucket");
const salesRows = document.getElementById("sales-rows");
const charts = {};
let library = null;

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const pad = (n) => String(n).padStart(2, "0");

/** The local date `days` from today, as YYYY-MM-DD. */
function localDate(days) {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const shortDay = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
/** "2026-12-07T00:00:00+01:00" -> its wall-clock date, whatever the browser's zone. */
const wallDate = (iso) => new Date(`${iso.slice(0, 10)}T12:00:00`);

function loadLibrary() {
  library ??= new Promise((resolve, reject) => {
    document.head.append(h("script", { src: CHART_LIBRARY, onload: () => resolve(window.Chart), onerror: reject }));
  });
  return library;
}

async function draw(name, config) {
  const Chart = await loadLibrary();
  charts[name]?.destroy();
  const options = { animation: false, responsive: true, maintainAspectRatio: false, ...config.options };
  charts[name] = new Chart(document.getElementById(`${name}-chart`), { ...config, options });
}

const money = (text) => Number(text); // the API's 2-decimal strings, for the chart's axis only

async function showValue(query) {
  const [{ data: now }, { data: series }] = await Promise.all([
    getJson("/reports/valuation"),
    getJson(`/reports/valuation/series?since=${localDate(1 - SERIES_DAYS)}&until=${localDate(1)}&${query}`),
  ]);
  valueNow.textContent = now.value;
  valueDetail.textContent = `for ${formatCount(now.quantity)} units of ${formatCount(now.products_in_stock)} products`;
  await draw("value", {
    type: "line",
    data: {
      // point i is the value at the end of day i of the range (today's: now)
      labels: series.map((_, i) => shortDay.format(wallDate(localDate(1 - SERIES_DAYS + i)))),
      datasets: [{ label: "Stock value", data: series.map((point) => money(point.value)), borderColor: COLOURS.value, pointRadius: 0 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
  });
}

function salesRow(period, label) {
  const cell = (field, text) => h("td", { class: "num", dataset: { field } }, text);
  return h(
    "tr",
    { dataset: { testid: "sales-period", periodStart: period.period_start } },
    h("th", { scope: "row" }, label),
    cell("units_sold", formatCount(period.units_sold)),
    cell("revenue", period.revenue),
    cell("cost_of_goods", period.cost_of_goods),
    cell("margin", period.margin),
  );
}

async function showSales(query) {
  const { count, days } = SALES_PERIODS[bucket.value];
  const since = localDate(-(count - 1) * days);
  const { data } = await getJson(`/reports/sales?since=${since}&until=${localDate(days)}&bucket=${bucket.value}&${query}`);
  const labels = data.map((period) => {
    const day = wallDate(period.period_start);
    return bucket.value === "week" ? `Week of ${shortDay.format(day)}` : dayLabel.format(day);
  });
  salesRows.replaceChildren(...data.map((period, i) => salesRow(period, labels[i])).reverse());
  const series = (label, field, colour) => ({ label, data: data.map((p) => money(p[field])), backgroundColor: colour });
  await draw("sales", {
    type: "bar",
    data: {
      labels,
      datasets: [
        series("Revenue", "revenue", COLOURS.revenue),
        series("Cost of goods", "cost_of_goods", COLOURS.cost),
        series("Margin", "margin", COLOURS.margin),
      ],
    },
  });
}

async function show(task) {
  failure.hidden = true;
  try {
    await task(`tz=${encodeURIComponent(zone())}`);
  } catch (error) {
    failure.textContent = error.message;
    failure.hidden = false;
  }
}

export function openReports() {
  valueNow.textContent = "…";
  valueDetail.textContent = "";
  openDialog(dialog);
  return Promise.all([show(showValue), show(showSales)]);
}

bucket.addEventListener("change", () => show(showSales));
downloadOnClick(document.getElementById("valuation-csv"), "valuation");
