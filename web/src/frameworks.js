// Binding frameworks: compliance per framework as a plot, and the matrix of ministries ×
// frameworks with each adoption's status.
import { follow, graphql } from "./api.js";
import { h, replace } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { setStatus } from "./parts.js";

const MATRIX = `{ complianceMatrix {
  frameworks { id title version adoptBy compliance issue { id } }
  rows { ministry { code name } cells { status overdue } } } }`;

export async function showFrameworks(main) {
  async function load() {
    const { complianceMatrix: matrix } = await graphql(MATRIX);
    render(matrix);
  }

  function render(matrix) {
    const s = t();
    replace(main,
      h("h1", {}, s.frameworks),
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
      }, cell.status ? s.adoption[cell.status] : "—", cell.overdue ? ` ⏰ ${s.overdue}` : ""))))));
}
