// Raising an issue from the board: for a council's members (for their own unit) and its
// chair (for the whole council). Built once per council and moved, not redrawn, when the
// board redraws, so what is being typed survives live events.
import { send } from "./api.js";
import { chairName, named, scopeName } from "./councils.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { failure, requestKey } from "./parts.js";
import { session } from "./session.js";

const RAISE = `mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Issue { id } ... on Rejected { code message } } }`;

export function raiseForm(council) {
  const s = t();
  const member = council.roles.find((r) => r.kind === "MEMBER")?.code;
  const chair = council.roles.find((r) => r.kind === "CHAIR")?.code;
  const mine = (session.me?.officers ?? []).filter((o) => o.council === council.id);
  const units = mine.filter((o) => o.role === member && o.ministry).map((o) => o.ministry.code);
  const isChair = mine.some((o) => o.role === chair);
  if (!units.length && !isChair) return null;

  const notice = h("p", { role: "status", class: "notice", hidden: true });
  const scopes = ["GOVERNMENT_WIDE", "DEPARTMENTAL"].filter(
    (scope) => scope === "GOVERNMENT_WIDE" || units.length);
  const submit = h("button", { type: "submit", id: "raise-submit" }, s.raise);
  const form = h("form", { id: "raise-form", class: "action", onsubmit: async (event) => {
    event.preventDefault();
    if (submit.getAttribute("aria-busy") === "true") return;
    const data = new FormData(form);
    const scope = data.get("raise-scope");
    const input = {
      title: data.get("raise-title"), proposal: data.get("raise-proposal"), scope,
      ministry: scope === "DEPARTMENTAL" || !isChair ? data.get("raise-unit") : null,
      touchesPersonalData: data.get("raise-privacy") === "on",
      procedure: isChair ? procedureOf(data, council.procedure) : null,
      bindingFramework: data.get("raise-binding") === "on",
      council: council.id, idempotencyKey: requestKey(),
    };
    submit.setAttribute("aria-busy", "true");
    submit.disabled = true;
    try {
      const result = (await send(RAISE, { input })).raiseIssue;
      if (result.__typename === "Issue") {
        location.assign(`/issues/${result.id}`);
        return;
      }
      notice.hidden = false;
      notice.className = "notice error";
      notice.textContent = `${s.errors[result.code] ?? result.code} (${result.message})`;
    } catch (error) {
      notice.hidden = false;
      notice.className = "notice error";
      notice.textContent = failure(error);
    } finally {
      submit.removeAttribute("aria-busy");
      submit.disabled = false;
    }
  } },
  h("p", {}, h("label", { for: "raise-title" }, s.titleLabel), h("br"),
    h("input", { type: "text", id: "raise-title", name: "raise-title", required: true,
      maxlength: 200, size: 60 })),
  h("p", {}, h("label", { for: "raise-proposal" }, s.proposal), h("br"),
    h("textarea", { id: "raise-proposal", name: "raise-proposal", rows: 4, cols: 60,
      required: true })),
  h("fieldset", {}, h("legend", {}, s.scopeLabel),
    scopes.map((scope, i) => h("label", {},
      h("input", { type: "radio", name: "raise-scope", value: scope, id: `raise-scope-${scope}`,
        required: true, checked: i === 0 && scopes.length === 1 }),
      ` ${scopeName(council, scope)} `))),
  units.length
    ? h("p", {}, h("label", { for: "raise-unit" }, named({ name: council.unitTerm,
      nameEn: council.unitTermEn })), " ",
    h("select", { id: "raise-unit", name: "raise-unit" },
      units.map((code) => h("option", { value: code }, code))))
    : null,
  h("p", {}, h("label", {}, h("input", { type: "checkbox", name: "raise-privacy" }),
    ` ${s.personalData}`)),
  isChair
    ? h("p", {}, h("label", {}, h("input", { type: "checkbox", name: "raise-binding" }),
      ` ${s.binding}`))
    : null,
  isChair ? procedureFields(council.procedure) : null,
  notice, submit);
  return h("details", { class: "raise" },
    h("summary", {}, isChair ? s.raiseAsChair(chairName(council)) : s.raiseTitle), form);
}

const WINDOWS = ["adviceWindowSeconds", "deliberationWindowSeconds", "voteWindowSeconds",
  "mandateWindowSeconds"];
const DAY = 86_400;

// The chair sets the issue's windows; prefilled with the council's, sent only if changed
// (the server checks them against the council's bounds and says which one is out).
function procedureFields(procedure) {
  const s = t();
  return h("fieldset", { class: "procedure" }, h("legend", {}, s.procedureDays),
    WINDOWS.map((name) => h("label", {}, `${s.windows[name]} `,
      h("input", { type: "number", name: `raise-${name}`, id: `raise-${name}`, min: 0,
        step: "any", size: 6, value: +(procedure[name] / DAY).toFixed(2) }), " ")),
    h("label", {}, `${s.quorum} `, h("input", { type: "number", name: "raise-quorum",
      id: "raise-quorum", min: 1, max: 100, step: 1, size: 4,
      value: Math.round(procedure.quorum * 100) })));
}

function procedureOf(data, defaults) {
  const chosen = {};
  for (const name of WINDOWS) {
    const seconds = Math.round(Number(data.get(`raise-${name}`)) * DAY);
    if (Number.isFinite(seconds) && seconds !== defaults[name]) chosen[name] = seconds;
  }
  const quorum = Number(data.get("raise-quorum")) / 100;
  if (Number.isFinite(quorum) && Math.abs(quorum - defaults.quorum) > 0.001) {
    chosen.quorum = quorum;
  }
  return Object.keys(chosen).length ? chosen : null;
}
