// The board: every open issue as a card grouped by phase, recent decisions beside them.
import { follow, graphql } from "./api.js";
import { h, replace } from "./dom.js";
import {
  chairName, chooseCouncil, chosenCouncil, loadCouncils, named, routeName, scopeName,
} from "./councils.js";
import { formatDate, t } from "./i18n.js";
import { countdown, setStatus, tallyBar } from "./parts.js";

const CARD = `id title scope phase phaseDeadline overdue lastSeq
  council { id } ministry { code name }
  tally { agree abstain object notVoted eligible }
  decision { route outcome decidedAt }`;
const OPEN_PHASES = ["ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION"];
const RECENT = 8;

export async function showBoard(main) {
  const issues = new Map();
  const councils = await loadCouncils();
  let council = chosenCouncil(councils);

  async function load() {
    const data = await graphql(`query($council: ID) {
      issues(first: 100, filter: { council: $council }) { edges { node { ${CARD} } } } }`,
    { council: council?.id ?? null });
    issues.clear();
    for (const { node } of data.issues.edges) issues.set(node.id, node);
    render();
  }

  function switcher() {
    if (councils.length < 2) return null;
    return h("p", { class: "council-switch" },
      h("label", { for: "council" }, t().council), " ",
      h("select", { id: "council", onchange: (event) => {
        council = councils.find((c) => c.id === event.target.value);
        chooseCouncil(council.id);
        load();
      } }, councils.map((c) =>
        h("option", { value: c.id, selected: c.id === council.id }, named(c)))));
  }

  function render() {
    const all = [...issues.values()];
    const columns = OPEN_PHASES.map((phase) =>
      column(`phase-${phase}`, t().phase[phase], all.filter((i) => i.phase === phase), council));
    const decided = all
      .filter((i) => i.phase === "DECIDED")
      .sort((a, b) => b.decision.decidedAt.localeCompare(a.decision.decidedAt))
      .slice(0, RECENT);
    columns.push(column("phase-DECIDED", t().recentlyDecided, decided, council));
    replace(main, h("h1", { class: "visually-hidden" }, `${t().board}: ${named(council)}`),
      switcher(), h("div", { class: "board" }, columns));
  }

  await load();
  follow({
    issueId: null,
    selection: `seq issueId kind issue { ${CARD} }`,
    onEvent: (event) => {
      const known = issues.get(event.issueId);
      if (known && event.seq <= known.lastSeq) return; // seen already
      if (event.issue.council.id !== council.id) return; // another council's board
      issues.set(event.issueId, event.issue);
      render();
    },
    onResync: load,
    onStatus: setStatus,
  });
}

function column(id, title, issues, council) {
  return h("section", { class: "column", "aria-labelledby": id },
    h("h2", { id }, title, " ", h("span", { class: "count" }, `(${issues.length})`)),
    issues.length
      ? h("ul", { class: "cards" }, issues.map((issue) => h("li", {}, card(issue, council))))
      : h("p", { class: "empty" }, t().nothingHere));
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
  issue.overdue ? h("p", { class: "mark overdue-mark" }, "⏰ ", s.overdue) : null,
  issue.phaseDeadline && !issue.overdue ? countdown(issue.phaseDeadline) : null,
  issue.tally.eligible ? tallyBar(issue.tally) : null,
  issue.decision
    ? h("p", { class: "decision" }, `${s.outcome[issue.decision.outcome]} · ${
      routeName(council, issue.decision.route)} · ${formatDate(issue.decision.decidedAt)}`)
    : null);
}
