// Raising an issue from the board: for a council's members (for their own unit) and its
// chair (for the whole council). Built once per council and moved, not redrawn, when the
// board redraws, so what is being typed survives live events.
import { graphql } from "./api.js";
import { chairName, named, scopeName } from "./councils.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { requestKey } from "./parts.js";
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
      bindingFramework: data.get("raise-binding") === "on",
      council: council.id, idempotencyKey: requestKey(),
    };
    submit.setAttribute("aria-busy", "true");
    submit.disabled = true;
    try {
      const result = (await graphql(RAISE, { input })).raiseIssue;
      if (result.__typename === "Issue") {
        location.assign(`/issues/${result.id}`);
        return;
      }
      notice.hidden = false;
      notice.className = "notice error";
      notice.textContent = `${s.errors[result.code] ?? result.code} (${result.message})`;
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
  notice, submit);
  return h("details", { class: "raise" },
    h("summary", {}, isChair ? s.raiseAsChair(chairName(council)) : s.raiseTitle), form);
}
