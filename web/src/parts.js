// Pieces the board and the issue page share.
import { h } from "./dom.js";
import { formatDate, formatDuration, t } from "./i18n.js";

export function countdown(deadline) {
  return h("p", { class: "countdown" },
    `${t().deadline}: `, h("time", { datetime: deadline }, formatDate(deadline)), " · ",
    h("span", { "data-deadline": deadline }, remaining(deadline)));
}

function remaining(deadline) {
  const seconds = (new Date(deadline) - Date.now()) / 1000;
  return seconds > 0 ? `${t().closesIn} ${formatDuration(seconds)}` : t().expired;
}

// One timer ticks every countdown on the page; no data is fetched by it.
setInterval(() => {
  for (const element of document.querySelectorAll("[data-deadline]")) {
    element.textContent = remaining(element.dataset.deadline);
  }
}, 1000);

export function tallyBar(tally) {
  const s = t();
  const parts = ["agree", "abstain", "object", "notVoted"];
  return h("div", { class: "tally" },
    h("div", { class: "bar", role: "img", "aria-label": s.tallyLabel(tally) },
      parts.filter((p) => tally[p]).map((p) =>
        h("span", { class: `segment ${p}`, style: `flex-grow: ${tally[p]}` }))),
    h("p", { class: "legend", "aria-hidden": "true" },
      parts.map((p) => h("span", { class: `key ${p}` }, `${s.tally[p]} ${tally[p]}`))));
}

export function setStatus(status) {
  const element = document.getElementById("live-status");
  if (!element) return;
  element.textContent = status === "live" ? `● ${t().live}` : t().offline;
  element.dataset.status = status;
}

// A fresh key per click: a resend of the same click is applied once.
export function requestKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Why a request failed, for its user: the server's reason when it gave one (a GraphQL
// error's code), else that no answer came, even after the resends.
export function failure(error) {
  const s = t();
  const code = (error.codes ?? []).find((c) => s.requestErrors[c]);
  return `${code ? s.requestErrors[code] : s.noConnection} (${error.message})`;
}
