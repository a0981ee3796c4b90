// The board: every open issue as a card grouped by phase, recent decisions beside them.
import { follow, graphql } from "./api.js";
import { h, replace } from "./dom.js";
import {
  chairName, chooseCouncil, chosenCouncil, loadCouncils, named, routeName, scopeName,
} from "./councils.js";
import {
  FILTER_VARIABLES, active, filterArguments, filterForm, filterValues, fits, readFilters,
} from "./filters.js";
import { formatDate, t } from "./i18n.js";
import { countdown, setStatus, tallyBar } from "./parts.js";
import { raiseForm } from "./raise.js";
import { session } from "./session.js";

const CARD = `id title scope phase phaseDeadline overdue lastSeq
  council { id } ministry { code name }
  tally { agree abstain object notVoted eligible }
  decision { route outcome decidedAt }`;
const OPEN_PHASES = ["ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION"];
const RECENT = 8;
// Open issues per column and page: every open issue stays reachable ("meer laden"), and
// each column's count is the server's, not what happens to be loaded.
const PAGE = 50;
const PAGE_OF = `totalCount pageInfo { hasNextPage endCursor } edges { node { ${CARD} } }`;

export async function showBoard(main) {
  const issues = new Map();
  const councils = await loadCouncils();
  let council = chosenCouncil(councils);
  // The units of the council shown (the register's ministries, or the council's own).
  const unitsOf = async (c) => (await graphql(
    "query($id: ID!) { council(id: $id) { units { code name } } }", { id: c.id })).council.units;
  let units = await unitsOf(council);
  const filters = readFilters();
  // A unit named in the address that this council has not (mistyped, 1 MB long) is dropped.
  if (filters.unit && !units.some((u) => u.code === filters.unit)) filters.unit = null;
  // Moved into each redraw, never rebuilt by them: what is typed there stays.
  let raising = raiseForm(council);
  const newFilters = () => filterForm(filters, council, units, {
    canWait: (session.me?.officers ?? []).some((o) => o.council === council.id),
    onChange: load,
  });
  let filtering = newFilters();

  // Every list's arguments beside its phase: the council and the filters.
  const where = () => `council: $council, ${filterArguments(filters)}`;
  const variables = () => ({ council: council?.id ?? null, ...filterValues(filters) });

  const totals = {};
  const more = {};

  // Each open phase apart (its first page and its count), and the latest decisions.
  async function load() {
    const columns = OPEN_PHASES.map((phase) =>
      `${phase}: issues(first: ${PAGE}, filter: { ${where()}, phase: ${phase} }) { ${PAGE_OF} }`);
    const asked = { ...filters };
    const data = await graphql(`query($council: ID, ${FILTER_VARIABLES}) { ${columns.join(" ")}
      DECIDED: issues(first: ${RECENT * 3}, filter: { ${where()}, phase: DECIDED }) {
        ${PAGE_OF} }
      WITHDRAWN: issues(first: ${RECENT}, filter: { ${where()}, phase: WITHDRAWN }) {
        ${PAGE_OF} } }`, variables());
    if (JSON.stringify(asked) !== JSON.stringify(filters)) return; // typed on meanwhile
    issues.clear();
    for (const [phase, page] of Object.entries(data)) {
      totals[phase] = page.totalCount;
      more[phase] = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      for (const { node } of page.edges) issues.set(node.id, node);
    }
    render();
  }

  const loading = new Set();

  async function loadMore(phase) {
    if (loading.has(phase)) return; // a second click while the page is on its way
    loading.add(phase);
    let data;
    try {
      data = await graphql(`query($council: ID, $after: String, ${FILTER_VARIABLES}) {
        page: issues(first: ${PAGE}, after: $after, filter: { ${where()}, phase: ${phase} }) {
          ${PAGE_OF} } }`, { ...variables(), after: more[phase] });
    } finally {
      loading.delete(phase);
    }
    totals[phase] = data.page.totalCount;
    more[phase] = data.page.pageInfo.hasNextPage ? data.page.pageInfo.endCursor : null;
    for (const { node } of data.page.edges) issues.set(node.id, node);
    render();
  }

  // A burst of events reloads once.
  let reloading = null;
  function reload() {
    clearTimeout(reloading);
    reloading = setTimeout(load, 500);
  }

  // Counts after live events: moved issues change two columns' totals.
  let recount = null;
  function countAgain() {
    clearTimeout(recount);
    recount = setTimeout(async () => {
      const columns = [...OPEN_PHASES, "DECIDED", "WITHDRAWN"].map((phase) =>
        `${phase}: issues(first: 1, filter: { ${where()}, phase: ${phase} }) { totalCount }`);
      const data = await graphql(`query($council: ID, ${FILTER_VARIABLES}) {
        ${columns.join(" ")} }`, variables());
      let changed = false;
      for (const [phase, page] of Object.entries(data)) {
        changed ||= totals[phase] !== page.totalCount;
        totals[phase] = page.totalCount;
      }
      if (changed) render();
    }, 500);
  }

  function switcher() {
    if (councils.length < 2) return null;
    return h("p", { class: "council-switch" },
      h("label", { for: "council" }, t().council), " ",
      h("select", { id: "council", onchange: async (event) => {
        council = councils.find((c) => c.id === event.target.value);
        chooseCouncil(council.id);
        raising = raiseForm(council);
        units = await unitsOf(council);
        filters.unit = null; // another council's unit would find nothing here
        filtering = newFilters();
        load();
      } }, councils.map((c) =>
        h("option", { value: c.id, selected: c.id === council.id }, named(c)))));
  }

  // Many events at once (a burst of raises) redraw the board once per frame, not per event.
  let drawing = false;
  function render() {
    if (drawing) return;
    drawing = true;
    requestAnimationFrame(() => {
      drawing = false;
      draw();
    });
  }

  function draw() {
    const all = [...issues.values()];
    const columns = OPEN_PHASES.map((phase) => column(`phase-${phase}`, t().phase[phase],
      all.filter((i) => i.phase === phase), council, totals[phase],
      more[phase] ? () => loadMore(phase) : null));
    const decided = all
      .filter((i) => i.phase === "DECIDED")
      .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))
      .slice(0, RECENT);
    columns.push(column("phase-DECIDED", t().recentlyDecided, decided, council));
    const withdrawn = all.filter((i) => i.phase === "WITHDRAWN");
    columns.push(column("phase-WITHDRAWN", t().recentlyWithdrawn, withdrawn, council,
      totals.WITHDRAWN));
    replace(main, h("h1", { class: "visually-hidden" }, `${t().board}: ${named(council)}`),
      switcher(), raising, filtering, h("div", { class: "board" }, columns));
  }

  await load();
  follow({
    issueId: null,
    selection: `seq issueId kind issue { ${CARD} }`,
    onEvent: (event) => {
      const known = issues.get(event.issueId);
      if (known && event.seq <= known.lastSeq) return; // seen already
      if (event.issue.council.id !== council.id) return; // another council's board
      const fit = active(filters) ? fits(filters, event.issue) : true;
      if (fit === null) { // only the server knows what waits on whom
        reload();
        return;
      }
      if (fit) issues.set(event.issueId, event.issue);
      else issues.delete(event.issueId);
      render();
      countAgain();
    },
    onResync: load,
    onStatus: setStatus,
  });
}

// Overdue first (the oldest deadline on top), then the nearest deadline, then the rest.
function urgency(a, b) {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.phaseDeadline && b.phaseDeadline) return a.phaseDeadline.localeCompare(b.phaseDeadline);
  return a.phaseDeadline ? -1 : b.phaseDeadline ? 1 : 0;
}

function column(id, title, unsorted, council, total = unsorted.length, loadMore = null) {
  const issues = id === "phase-DECIDED" ? unsorted : [...unsorted].sort(urgency);
  const count = Math.max(total ?? 0, issues.length);
  return h("section", { class: "column", "aria-labelledby": id },
    h("h2", { id }, title, " ", h("span", { class: "count" }, `(${count})`)),
    issues.length
      ? h("ul", { class: "cards" }, issues.map((issue) => h("li", {}, card(issue, council))))
      : h("p", { class: "empty" }, t().nothingHere),
    loadMore
      ? h("button", { type: "button", class: "more", onclick: loadMore },
        t().loadMore(count - issues.length))
      : null);
}

function card(issue, council) {
  const s = t();
  const waitsForChair = issue.phase === "MANDATE";
  return h("article", {
    class: `card${waitsForChair ? " waits" : ""}${issue.overdue ? " overdue" : ""}`,
    "data-issue": issue.id,
    "data-phase": issue.phase,
  },
  h("h3", {}, h("a", { href: `/issues/${issue.id}` }, issue.title)),
  h("p", { class: "meta" },
    h("span", { class: "badge" }, scopeName(council, issue.scope)),
    issue.ministry
      ? h("span", { title: issue.ministry.name }, issue.ministry.code) : chairName(council)),
  waitsForChair ? h("p", { class: "mark" }, "⚑ ", s.waitsFor(chairName(council))) : null,
  issue.overdue ? h("p", { class: "mark overdue-mark" }, "⏰ ", s.overdue,
    issue.phaseDeadline ? ` (${formatDate(issue.phaseDeadline)})` : "") : null,
  issue.phaseDeadline && !issue.overdue ? countdown(issue.phaseDeadline) : null,
  issue.tally.eligible ? tallyBar(issue.tally) : null,
  issue.decision
    ? h("p", { class: "decision" }, `${s.outcome[issue.decision.outcome]} · ${
      routeName(council, issue.decision.route)} · ${formatDate(issue.decision.decidedAt)}`)
    : null);
}
