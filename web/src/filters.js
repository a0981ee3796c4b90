// The board's filters: kept in the address (a filtered board can be shared and survives a
// reload), applied by the server (counts and pages stay right), and checked here against
// live events so a card that no longer fits leaves the board.
import { scopeName, unitTerm } from "./councils.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

const KEYS = { q: "zoek", scope: "reikwijdte", unit: "eenheid", overdue: "verlopen",
  mine: "wachtopmij" };

const SCOPES = ["GOVERNMENT_WIDE", "DEPARTMENTAL"];

// An address is typed, pasted and shared: what the server would refuse is dropped here, so
// a careless link still opens a board.
export function readFilters() {
  const params = new URLSearchParams(location.search);
  const scope = params.get(KEYS.scope);
  return {
    q: (params.get(KEYS.q) ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").slice(0, 200),
    scope: SCOPES.includes(scope) ? scope : null,
    unit: params.get(KEYS.unit) || null,
    overdue: params.get(KEYS.overdue) === "1",
    mine: params.get(KEYS.mine) === "1",
  };
}

function keep(filters) {
  const params = new URLSearchParams();
  if (filters.q) params.set(KEYS.q, filters.q);
  if (filters.scope) params.set(KEYS.scope, filters.scope);
  if (filters.unit) params.set(KEYS.unit, filters.unit);
  if (filters.overdue) params.set(KEYS.overdue, "1");
  if (filters.mine) params.set(KEYS.mine, "1");
  const query = params.toString();
  history.replaceState(null, "", query ? `/?${query}` : "/");
}

export const active = (f) => Boolean(f.q || f.scope || f.unit || f.overdue || f.mine);

// The fields of IssueFilter beside council and phase. "Wacht op mij" is written only when
// asked: a result that names the caller cannot be shared with other officers.
export function filterArguments(f) {
  return [
    "titleContains: $q", "scope: $scope", "ministry: $unit", "overdue: $overdue",
    f.mine ? "waitingOnMe: true" : null,
  ].filter(Boolean).join(", ");
}

export const FILTER_VARIABLES = "$q: String, $scope: Scope, $unit: ID, $overdue: Boolean";

export function filterValues(f) {
  return { q: f.q || null, scope: f.scope, unit: f.unit, overdue: f.overdue || null };
}

// Whether a live event's issue fits; null when only the server can tell ("wacht op mij").
export function fits(f, issue) {
  if (f.q && !issue.title.toLowerCase().includes(f.q.toLowerCase())) return false;
  if (f.scope && issue.scope !== f.scope) return false;
  if (f.unit && issue.ministry?.code !== f.unit) return false;
  if (f.overdue && !issue.overdue) return false;
  return f.mine ? null : true;
}

// The form; built once per council and moved by redraws, so typing in it survives them.
export function filterForm(filters, council, units, { canWait, onChange }) {
  const s = t();
  let typing = null;
  const changed = (key, value, delay = 0) => {
    filters[key] = value;
    clearTimeout(typing);
    typing = setTimeout(() => {
      keep(filters);
      onChange();
    }, delay);
  };
  return h("form", { role: "search", class: "filters", "aria-label": s.filters,
    onsubmit: (event) => event.preventDefault() },
  h("label", { for: "filter-q" }, s.searchTitle), " ",
  h("input", { type: "search", id: "filter-q", maxlength: 200, value: filters.q,
    oninput: (event) => changed("q", event.target.value.trim(), 300) }), " ",
  h("label", { for: "filter-scope" }, s.scopeLabel), " ",
  h("select", { id: "filter-scope", onchange: (event) => changed("scope", event.target.value || null) },
    h("option", { value: "" }, s.all),
    SCOPES.map((scope) => h("option",
      { value: scope, selected: filters.scope === scope }, scopeName(council, scope)))), " ",
  h("label", { for: "filter-unit" }, unitTerm(council)), " ",
  h("select", { id: "filter-unit", onchange: (event) => changed("unit", event.target.value || null) },
    h("option", { value: "" }, s.all),
    units.map((unit) => h("option", { value: unit.code, selected: filters.unit === unit.code },
      `${unit.code} — ${unit.name}`))), " ",
  h("label", {}, h("input", { type: "checkbox", id: "filter-overdue", checked: filters.overdue,
    onchange: (event) => changed("overdue", event.target.checked) }), ` ${s.onlyOverdue}`), " ",
  canWait
    ? h("label", {}, h("input", { type: "checkbox", id: "filter-mine", checked: filters.mine,
      onchange: (event) => changed("mine", event.target.checked) }), ` ${s.waitingOnMe}`)
    : null);
}
