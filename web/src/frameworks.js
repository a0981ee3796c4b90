// Binding frameworks: compliance per framework as a plot, and the matrix of ministries ×
// frameworks with each adoption's status.
import { follow, graphql, send } from "./api.js";
import { h, replace } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { loadCouncils } from "./councils.js";
import { failure, setStatus } from "./parts.js";
import { session } from "./session.js";

const MATRIX = `{ complianceMatrix {
  frameworks { id title version adoptBy compliance withdrawn issue { id } }
  rows { ministry { code name } cells { status overdue explanation } } } }`;
const REPORT = `mutation($input: ReportAdoptionInput!) { reportAdoption(input: $input) {
  __typename ... on Rejected { code message } } }`;

export async function showFrameworks(main) {
  const councils = await loadCouncils();
  // The units the signed-in person reports for: their member seats.
  const units = (session.me?.officers ?? []).filter((o) => o.ministry && o.role
    === councils.find((c) => c.id === o.council)?.roles.find((r) => r.kind === "MEMBER")?.code)
    .map((o) => o.ministry.code);
  let reporting = null; // built once, moved by redraws: what is typed there stays

  async function load() {
    const { complianceMatrix: matrix } = await graphql(MATRIX);
    if (units.length && !reporting) reporting = reportForm(matrix, units[0]);
    render(matrix);
  }

  function render(matrix) {
    const s = t();
    replace(main,
      h("h1", {}, s.frameworks),
      reporting,
      matrix.frameworks.length === 0 ? h("p", {}, s.noFrameworks) : [
        h("section", { class: "panel", "aria-labelledby": "h-compliance" },
          h("h2", { id: "h-compliance" }, s.compliance),
          plot(matrix.frameworks)),
        h("section", { class: "panel", "aria-labelledby": "h-matrix" },
          h("h2", { id: "h-matrix" }, s.matrix),
          h("div", { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "h-matrix" },
            table(matrix))),
      ]);
  }

  await load();
  // Reports, reminders and new frameworks all arrive as framework events.
  follow({ subscription: "frameworkEvents", selection: "seq", onEvent: load, onResync: load,
    onStatus: setStatus });
}

// A horizontal bar per framework; the numbers are in the text too, not only in the bars.
function plot(frameworks) {
  const s = t();
  const rowHeight = 34;
  const labelWidth = 260;
  const barWidth = 420;
  const height = frameworks.length * rowHeight + 24;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${labelWidth + barWidth + 70} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", frameworks.map((f) =>
    `${f.title}: ${Math.round(f.compliance * 100)}%`).join("; "));
  svg.setAttribute("class", "plot");
  const add = (tag, attributes, text) => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    if (text !== undefined) element.textContent = text;
    svg.append(element);
  };
  frameworks.forEach((f, i) => {
    const y = i * rowHeight + 8;
    add("text", { x: 0, y: y + 17, class: "label" },
      f.title.length > 34 ? `${f.title.slice(0, 33)}…` : f.title);
    add("rect", { x: labelWidth, y, width: barWidth, height: 22, class: "track" });
    add("rect", { x: labelWidth, y, width: Math.max(0, f.compliance * barWidth), height: 22,
      class: "fill" });
    add("text", { x: labelWidth + barWidth + 8, y: y + 17, class: "value" },
      `${Math.round(f.compliance * 100)}%`);
  });
  add("text", { x: labelWidth, y: height - 2, class: "axis" }, `0% — ${s.compliance} — 100%`);
  return svg;
}

function table(matrix) {
  const s = t();
  return h("table", { class: "matrix" },
    h("caption", {}, s.matrixCaption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, s.ministry),
      matrix.frameworks.map((f) => h("th", { scope: "col" },
        h("a", { href: `/issues/${f.issue.id}` }, f.title),
        h("br"), h("small", {}, `v${f.version} · ${s.adoptBy} ${formatDate(f.adoptBy)}`))))),
    h("tbody", {}, matrix.rows.map((row) => h("tr", {},
      h("th", { scope: "row", title: row.ministry.name }, row.ministry.code),
      row.cells.map((cell) => h("td", {
        class: `status ${cell.status ?? "none"}${cell.overdue ? " overdue" : ""}`,
      }, cell.status ? s.adoption[cell.status] : "—", cell.overdue ? ` ⏰ ${s.overdue}` : "",
      cell.explanation
        ? h("details", {}, h("summary", {}, s.explanationShort), h("p", {}, cell.explanation))
        : null))))));
}

// A member reports their unit's adoption: planned, implemented, or an exception with its
// explanation (comply or explain). The framework list is of this first load; a report on
// a framework since set is refused by the server, not lost.
function reportForm(matrix, unit) {
  const s = t();
  const row = matrix.rows.find((r) => r.ministry.code === unit);
  const open = matrix.frameworks.filter((f, i) => !f.withdrawn && row?.cells[i].status
    && row.cells[i].status !== "IMPLEMENTED");
  if (!open.length) return h("p", { class: "notice" }, s.nothingToReport);
  const notice = h("p", { role: "status", class: "notice", hidden: true });
  const explanation = h("textarea", { id: "report-explanation", name: "explanation", rows: 3,
    cols: 60 });
  const submit = h("button", { type: "submit", id: "report-submit" }, s.reportSubmit);
  const form = h("form", { id: "report-form", class: "action", onsubmit: async (event) => {
    event.preventDefault();
    if (submit.disabled) return; // a double click reports once
    const data = new FormData(form);
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    try {
      // Resent after a lost answer: the report made already comes back DUPLICATE.
      const result = (await send(REPORT, { input: {
        frameworkId: data.get("framework"), status: data.get("status"),
        explanation: (data.get("explanation") || "").trim() || null,
      } })).reportAdoption;
      notice.hidden = false;
      // Already so (a retry of a report that arrived): the user's wish holds.
      const done = result.__typename === "Framework" || result.code === "DUPLICATE";
      notice.className = done ? "notice" : "notice error";
      notice.textContent = result.__typename === "Framework" ? s.reported
        : result.code === "DUPLICATE" ? s.alreadyReported
          : `${s.errors[result.code] ?? result.code} (${result.message})`;
      if (done) explanation.value = "";
    } catch (error) {
      notice.hidden = false;
      notice.className = "notice error";
      notice.textContent = failure(error);
    } finally {
      submit.disabled = false;
      submit.removeAttribute("aria-busy");
    }
  } },
  h("p", {}, h("label", { for: "report-framework" }, s.framework), " ",
    h("select", { id: "report-framework", name: "framework", required: true },
      open.map((f) => h("option", { value: f.id }, `${f.title} (v${f.version})`)))),
  h("fieldset", {}, h("legend", {}, s.reportStatus),
    ["PLANNED", "IMPLEMENTED", "EXCEPTION"].map((status) => h("label", {},
      h("input", { type: "radio", name: "status", value: status, required: true,
        onchange: () => { explanation.required = status === "EXCEPTION"; } }),
      ` ${s.adoption[status]} `))),
  h("p", {}, h("label", { for: "report-explanation" }, s.explanation), h("br"), explanation),
  notice, submit);
  return h("section", { class: "panel", "aria-labelledby": "h-report" },
    h("h2", { id: "h-report" }, s.reportTitle(unit)), form);
}
