// The board: every open issue as a card grouped by phase, recent decisions beside them.
import { follow, graphql } from "./api.js";
import { h, replace } from "./dom.js";
import { formatDate, t } from "./i18n.js";
import { countdown, setStatus, tallyBar } from "./parts.js";

const CARD = `id title scope phase phaseDeadline overdue lastSeq
  ministry { code name }
  tally { agree abstain object notVoted eligible }
  decision { route outcome decidedAt }`;
const OPEN_PHASES = ["ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION"];
const RECENT = 8;

export async function showBoard(main) {
  const issues = new Map();

  async function load() {
    const data = await graphql(`{ issues(first: 100) { edges { node { ${CARD} } } } }`);
    issues.clear();
    for (const { node } of data.issues.edges) issues.set(node.id, node);
    render();
  }

  function render() {
    const all = [...issues.values()];
    const columns = OPEN_PHASES.map((phase) =>
      column(`phase-${phase}`, t().phase[phase], all.filter((i) => i.phase === phase)));
    const decided = all
      .filter((i) => i.phase === "DECIDED")
      .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))
      .slice(0, RECENT);
    columns.push(column("phase-DECIDED", t().recentlyDecided, decided));
    replace(main, h("h1", { class: "visually-hidden" }, t().board),
      h("div", { class: "board" }, columns));
  }

  await load();
  follow({
    issueId: null,
    selection: `seq issueId kind issue { ${CARD} }`,
    onEvent: (event) => {
      const known = issues.get(event.issueId);
      if (known && event.seq <= known.lastSeq) return; // seen already
      issues.set(event.issueId, event.issue);
      render();
    },
    onResync: load,
    onStatus: setStatus,
  });
}

function column(id, title, issues) {
  return h("section", { class: "column", "aria-labelledby": id },
    h("h2", { id }, title, " ", h("span", { class: "count" }, `(${issues.length})`)),
    issues.length
      ? h("ul", { class: "cards" }, issues.map((issue) => h("li", {}, card(issue))))
      : h("p", { class: "empty" }, t().nothingHere));
}

function card(issue) {
  const s = t();
  const waitsForRijk = issue.phase === "MANDATE";
  return h("article", {
    class: `card${waitsForRijk ? " waits" : ""}${issue.overdue ? " overdue" : ""}`,
    "data-issue": issue.id,
    "data-phase": issue.phase,
  },
  h("h3", {}, h("a", { href: `/issues/${issue.id}` }, issue.title)),
  h("p", { class: "meta" },
    h("span", { class: "badge" }, s.scope[issue.scope]),
    issue.ministry ? h("span", { title: issue.ministry.name }, issue.ministry.code) : "CIO Rijk"),
  waitsForRijk ? h("p", { class: "mark" }, "⚑ ", s.waitsForRijk) : null,
  issue.overdue ? h("p", { class: "mark overdue-mark" }, "⏰ ", s.overdue) : null,
  issue.phaseDeadline && !issue.overdue ? countdown(issue.phaseDeadline) : null,
  issue.tally.eligible ? tallyBar(issue.tally) : null,
  issue.decision
    ? h("p", { class: "decision" }, `${s.outcome[issue.decision.outcome]} · ${
      s.route[issue.decision.route]} · ${formatDate(issue.decision.decidedAt)}`)
    : null);
}
