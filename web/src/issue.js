// One issue: proposal, procedure, timeline, what was said (for officers) and what the
// signed-in officer may do now.
import { follow, graphql, send } from "./api.js";
import { h, replace, restore, typed } from "./dom.js";
import {
  WORDS, advisorCodes, chairName, named, roleName, routeName, scopeName, unitTerm,
} from "./councils.js";
import { formatDate, formatDuration, t } from "./i18n.js";
import { countdown, failure, requestKey, setStatus, tallyBar } from "./parts.js";
import { session } from "./session.js";

const ISSUE = `id title proposal proposalVersion scope phase phaseDeadline overdue lastSeq
  touchesPersonalData bindingFramework workflowId myActions waitingOn
  council { ${WORDS} units { code name } } councilVersion
  ministry { code name } raisedBy { name }
  procedure { adviceWindowSeconds deliberationWindowSeconds voteWindowSeconds
              mandateWindowSeconds quorum }
  tally { agree abstain object notVoted eligible }
  decision { route outcome motivation decidedAt decidedBy { name } binding }
  advice { role stance text submittedAt officer { ministry { code } person { name } } }
  contributions { text postedAt author { name } ministry { code } }
  votes { choice reason castAt ministry { code } voter { name } }
  timeline { seq kind phase at summary actor { name } }`;

const RESULT = "__typename ... on Rejected { code message }";

export async function showIssue(main, id) {
  let issue = null;
  let notice = null;

  async function load() {
    const data = await graphql(`query($id: ID!) { issue(id: $id) { ${ISSUE} } }`, { id });
    issue = data.issue;
    render();
  }

  function render() {
    if (!issue) {
      replace(main, h("h1", {}, t().notFound), h("p", {}, h("a", { href: "/" }, t().back)));
      return;
    }
    const focused = document.activeElement?.id;
    const drafts = typed(main);
    replace(main, page(issue, notice, act));
    restore(main, drafts);
    if (focused) document.getElementById(focused)?.focus();
  }

  // `form`: cleared once its request succeeded (what was typed has been taken).
  async function act(mutation, variables, form, done = t().done) {
    let data;
    try {
      data = await send(mutation, variables);
    } catch (error) {
      notice = { kind: "error", text: failure(error) };
      await load();
      return;
    }
    const result = Object.values(data)[0];
    if (result.__typename === "Rejected") {
      notice = { kind: "error", text: refusal(result) };
    } else {
      notice = { kind: "ok", text: done };
      form?.reset();
    }
    await load();
  }

  await load();
  follow({
    issueId: id,
    selection: "seq issueId",
    onEvent: (event) => {
      // A later seq means news; a gap (missed events) is healed by the same re-read.
      if (!issue || event.seq > issue.lastSeq) load();
    },
    onResync: load,
    onStatus: setStatus,
  });
}

function page(issue, notice, act) {
  const s = t();
  const council = issue.council;
  return [
    h("p", {}, h("a", { href: "/" }, `← ${s.back}`)),
    h("h1", {}, issue.title),
    h("p", { class: "meta" },
      h("span", { class: "badge" }, scopeName(council, issue.scope)),
      h("span", { class: `phase phase-${issue.phase}`, "data-testid": "phase" },
        s.phase[issue.phase]),
      `${named(council)} · `,
      issue.ministry ? `${unitTerm(council)}: ${issue.ministry.name}` : chairName(council),
      ` · ${s.raisedBy}: ${issue.raisedBy.name}`,
      issue.touchesPersonalData ? ` · ${s.personalData}` : "",
      issue.bindingFramework ? ` · ${s.binding}` : ""),
    issue.phase === "MANDATE"
      ? h("p", { class: "mark" }, "⚑ ", s.waitsFor(chairName(council))) : null,
    issue.overdue ? h("p", { class: "mark overdue-mark" }, "⏰ ", s.overdue) : null,
    issue.phaseDeadline && !issue.overdue ? countdown(issue.phaseDeadline) : null,
    notice ? h("p", { class: `notice ${notice.kind}`, role: "alert" }, notice.text) : null,
    h("div", { class: "issue-grid" },
      h("div", {},
        section("proposal", `${s.proposal} (${s.version} ${issue.proposalVersion})`,
          h("p", { class: "proposal" }, issue.proposal)),
        issue.decision ? section("decision", s.decision, decision(issue.decision, council)) : null,
        issue.tally.eligible ? section("tally", s.tallyTitle, tallyBar(issue.tally)) : null,
        actions(issue, act),
        deliberation(issue)),
      h("div", {},
        section("procedure", s.procedure, procedure(issue.procedure)),
        section("timeline", s.timeline, timeline(issue.timeline)))),
  ];
}

function section(id, title, ...content) {
  return h("section", { "aria-labelledby": `h-${id}`, class: "panel" },
    h("h2", { id: `h-${id}` }, title), ...content);
}

function decision(d, council) {
  const s = t();
  return h("dl", {},
    h("dt", {}, s.decision), h("dd", {}, `${s.outcome[d.outcome]} (${routeName(council, d.route)})`),
    h("dt", {}, s.motivation), h("dd", {}, d.motivation),
    h("dt", {}, "—"), h("dd", {}, formatDate(d.decidedAt), d.decidedBy ? ` · ${d.decidedBy.name}` : ""),
    d.binding ? [h("dt", {}, s.binding), h("dd", {}, "✔")] : null);
}

function procedure(p) {
  const s = t();
  return h("dl", {},
    Object.entries(s.windows).map(([key, label]) =>
      [h("dt", {}, label), h("dd", {}, formatDuration(p[key]))]),
    h("dt", {}, s.quorum), h("dd", {}, `${Math.round(p.quorum * 100)}%`));
}

function timeline(events) {
  return h("ol", { class: "timeline" }, events.map((e) =>
    h("li", { "data-seq": e.seq },
      h("span", { class: "kind", "data-kind": e.kind }, `${e.seq}. ${t().eventKind[e.kind] ?? e.kind}`),
      " ",
      h("time", { datetime: e.at }, formatDate(e.at)),
      h("br"),
      e.summary)));
}

function deliberation(issue) {
  const s = t();
  if (!session.me?.officers?.length) {
    return section("deliberation", `${s.advice}, ${s.contributions.toLowerCase()}, ${s.votes.toLowerCase()}`,
      h("p", {}, s.hidden));
  }
  const list = (items, render) => items.length
    ? h("ul", { class: "said" }, items.map((item) => h("li", {}, render(item))))
    : h("p", {}, s.none);
  return [
    section("advice", s.advice, list(issue.advice, (a) => [
      h("strong", {}, `${roleName(issue.council, a.role)} ${a.officer.ministry?.code ?? ""} — ${
        s.stance[a.stance]}`),
      ` (${a.officer.person.name}, ${formatDate(a.submittedAt)})`, h("br"), a.text])),
    section("contributions", s.contributions, list(issue.contributions, (c) => [
      h("strong", {}, `${c.author.name}${c.ministry ? ` (${c.ministry.code})` : ""}`),
      ` ${formatDate(c.postedAt)}`, h("br"), c.text])),
    section("votes-cast", s.votes, list(issue.votes, (v) => [
      h("strong", {}, `${v.ministry.code}: ${s.choice[v.choice]}`),
      ` (${v.voter.name})`, v.reason ? ` — ${v.reason}` : ""])),
  ];
}

function actions(issue, act) {
  const s = t();
  const may = new Set(issue.myActions);
  const forms = [];
  const id = issue.id;
  if (may.has("SUBMIT_ADVICE")) {
    const advisors = advisorCodes(issue.council);
    const roles = (session.me?.officers ?? [])
      .filter((o) => o.council === issue.council.id && advisors.includes(o.role))
      .map((o) => o.role);
    forms.push(form("advice-form", s.submitAdvice, [
      choices("stance", s.stance, null),  // the advisor chooses; nothing is chosen for them
      roles.length > 1
        ? select("role", s.role, roles.map((r) => [r, roleName(issue.council, r)])) : null,
      textarea("advice-text", s.text, true),
    ], (data, button, form) => act(`mutation($input: SubmitAdviceInput!) { submitAdvice(input: $input) { ${RESULT} } }`,
      { input: { issueId: id, stance: data.get("stance"), text: data.get("advice-text"),
        role: data.get("role") || null, idempotencyKey: requestKey() } }, form)));
  }
  if (may.has("CONTRIBUTE")) {
    forms.push(form("contribute-form", s.contribute, [textarea("contribution", s.text, true)],
      (data, button, form) => act(`mutation($input: ContributeInput!) { contribute(input: $input) { ${RESULT} } }`,
        { input: { issueId: id, text: data.get("contribution"), idempotencyKey: requestKey() } },
        form)));
  }
  if (may.has("CAST_VOTE")) {
    // Never a choice made for the voter: nothing preselected, the vote cast so far shown.
    const current = myVote(issue);
    forms.push(form("vote-form", current ? s.changeVote : s.castVote, [
      current ? h("p", { class: "current-vote", "data-testid": "current-vote" },
        s.currentVote(s.choice[current.choice], current.reason)) : null,
      choices("choice", s.choice, null),
      textarea("reason", s.reason, false),
    ], (data, button, form) => act(`mutation($input: CastVoteInput!) { castVote(input: $input) { ${RESULT} } }`,
      { input: { issueId: id, choice: data.get("choice"), reason: data.get("reason") || null,
        idempotencyKey: requestKey() } }, form, current ? s.voteChanged : s.voteCast)));
  }
  if (may.has("RECUSE")) {
    forms.push(form("recuse-form", s.recuse, [textarea("recuse-reason", s.recuseReason, true)],
      (data, button, form) => act(`mutation($input: RecuseInput!) { recuse(input: $input) { ${RESULT} } }`,
        { input: { issueId: id, reason: data.get("recuse-reason"), idempotencyKey: requestKey() } },
        form)));
  }
  if (may.has("AMEND_PROPOSAL")) {
    forms.push(form("amend-form", s.amend, [
      h("p", {}, h("label", { for: "amended-proposal" }, s.proposal), h("br"),
        h("textarea", { id: "amended-proposal", name: "amended-proposal", rows: 5,
          required: true }, issue.proposal)),
    ], (data, button, form) => act(`mutation($input: AmendProposalInput!) { amendProposal(input: $input) { ${RESULT} } }`,
      { input: { issueId: id, proposal: data.get("amended-proposal"),
        idempotencyKey: requestKey() } }, form)));
  }
  if (may.has("RECLASSIFY")) {
    const other = issue.scope === "GOVERNMENT_WIDE" ? "DEPARTMENTAL" : "GOVERNMENT_WIDE";
    forms.push(form("reclassify-form", `${s.reclassify}: ${scopeName(issue.council, other)}`, [
      other === "DEPARTMENTAL" && !issue.ministry
        ? select("reclassify-unit", unitTerm(issue.council),
          issue.council.units.map((u) => [u.code, `${u.code} — ${u.name}`]))
        : null,
      textarea("reclassify-reason", s.reasonRequired, true),
    ], (data, button, form) => act(`mutation($input: ReclassifyInput!) { reclassify(input: $input) { ${RESULT} } }`,
      { input: { issueId: id, scope: other, ministry: data.get("reclassify-unit") || null,
        reason: data.get("reclassify-reason"), idempotencyKey: requestKey() } }, form)));
  }
  if (may.has("WITHDRAW")) {
    // Two steps, as closing a phase: withdrawing cannot be undone.
    let armed = false;
    forms.push(form("withdraw-form", s.withdraw, [
      textarea("withdraw-reason", s.reasonRequired, true),
    ], (data, button, form) => {
      if (!armed) {
        armed = true;
        button.textContent = s.confirmWithdraw;
        setTimeout(() => { armed = false; button.textContent = s.withdraw; }, 8000);
        return null;
      }
      return act(`mutation($input: WithdrawInput!) { withdrawIssue(input: $input) { ${RESULT} } }`,
        { input: { issueId: id, reason: data.get("withdraw-reason"), idempotencyKey: requestKey() } },
        form);
    }));
  }
  if (may.has("DECIDE")) {
    forms.push(form("decide-form", s.decide, [
      choices("outcome", { ADOPTED: s.adopt, REJECTED: s.reject }, null),
      textarea("motivation", s.motivation, true),
    ], (data, button, form) => act(`mutation($input: DecideInput!) { decide(input: $input) { ${RESULT} } }`,
      { input: { issueId: id, outcome: data.get("outcome"), motivation: data.get("motivation"),
        idempotencyKey: requestKey() } }, form)));
  }
  if (may.has("CLOSE_PHASE")) {
    // Two steps on the same button: the first click asks to confirm, the second closes the
    // phase shown, by name; a button drawn anew starts unarmed, so no click runs on.
    let armed = false;
    const warning = h("p", { class: "confirm-close", role: "status", "data-testid": "close-warning" });
    forms.push(form("close-form", `${s.closePhase}: ${s.phase[issue.phase]}`, [warning], (data, button) => {
      if (!armed) {
        armed = true;
        button.textContent = `${s.confirmClose}: ${s.phase[issue.phase]}`;
        warning.textContent = s.closeWarning(s.phase[nextPhase(issue)] ?? nextPhase(issue),
          issue.waitingOn);
        setTimeout(() => {
          armed = false;
          button.textContent = `${s.closePhase}: ${s.phase[issue.phase]}`;
          warning.textContent = "";
        }, 8000);
        return null;
      }
      return act(`mutation($id: ID!, $phase: Phase, $key: String) {
        closePhase(issueId: $id, phase: $phase, idempotencyKey: $key) { ${RESULT} } }`,
      { id, phase: issue.phase, key: requestKey() });
    }));
  }
  return forms.length ? section("act", s.act, forms) : null;
}

function form(id, label, fields, submit) {
  return h("form", {
    id, class: "action",
    onsubmit: async (event) => {
      event.preventDefault();
      const button = event.target.querySelector("button[type=submit]");
      if (button.getAttribute("aria-busy") === "true") return;  // one request at a time
      const sending = submit(new FormData(event.target), button, event.target);
      if (!sending) return;
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
      try {
        await sending;
      } finally {
        button.removeAttribute("aria-busy");
        button.disabled = false;
      }
    },
  }, fields, h("button", { type: "submit", id: `${id}-submit` }, label));
}

function choices(name, labels, checked) {
  return h("fieldset", {},
    h("legend", {}, name === "stance" ? t().advice : name === "outcome" ? t().decision : t().castVote),
    Object.entries(labels).map(([value, label]) => h("label", {},
      h("input", { type: "radio", name, value, checked: value === checked, id: `${name}-${value}`,
        required: true }),
      ` ${label}`)));
}

// What closing the current phase leads to (the workflow decides; this only tells the user).
function nextPhase(issue) {
  if (issue.phase === "ADVICE") {
    if (issue.scope === "DEPARTMENTAL") return "DEPARTMENTAL_DECISION";
    return issue.procedure.deliberationWindowSeconds ? "DELIBERATION" : "VOTING";
  }
  if (issue.phase === "DELIBERATION") return "VOTING";
  return "DECIDED_OR_MANDATE";
}

// The vote of the caller's own member seat in this issue's council, if cast.
function myVote(issue) {
  const member = issue.council.roles.find((r) => r.kind === "MEMBER")?.code;
  const units = (session.me?.officers ?? [])
    .filter((o) => o.council === issue.council.id && o.role === member && o.ministry)
    .map((o) => o.ministry.code);
  return issue.votes.find((v) => units.includes(v.ministry.code)) ?? null;
}

// A refusal in words (the code's text first, the API's own message after it).
function refusal(result) {
  const text = t().errors[result.code];
  return text ? `${text} (${result.message})` : `${result.code}: ${result.message}`;
}

function textarea(name, label, required) {
  return h("p", {},
    h("label", { for: name }, label), h("br"),
    h("textarea", { id: name, name, rows: 3, required }));
}

function select(name, label, values) {
  return h("p", {},
    h("label", { for: name }, label), " ",
    h("select", { id: name, name },
      values.map(([value, label]) => h("option", { value }, label))));
}
