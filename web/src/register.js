// The register of one council: who holds which seat (public, as the government's almanac
// is) and, for its secretariat, appointing, ending appointments and naming deputies; a
// seat's holder names their own deputy. Every change may be dated ahead and carries its
// legal basis; the register's recent changes are listed for officers.
import { graphql, send } from "./api.js";
import { chosenCouncil, loadCouncils, named, roleName, unitTerm } from "./councils.js";
import { h, replace } from "./dom.js";
import { failure, requestKey } from "./parts.js";
import { formatDate, t } from "./i18n.js";
import { session } from "./session.js";

const OFFICER = "role deputy validFrom validTo ministry { code } person { id name }";
const SEATS = `query($council: ID!) { council(id: $council) { units { code name }
  officers { ${OFFICER} } } deputies(council: $council) { ${OFFICER} } }`;
const EVENTS = `{ registerEvents(first: 20) { id kind at role basis detail recordedAt
  person { name } ministry { code } } }`;
const RESULT = "__typename ... on Rejected { code message }";
const MUTATIONS = {
  appoint: `mutation($input: AppointInput!) { appoint(input: $input) { ${RESULT} } }`,
  end: `mutation($input: EndAppointmentInput!) { endAppointment(input: $input) { ${RESULT} } }`,
  deputy: `mutation($input: AppointDeputyInput!) { appointDeputy(input: $input) { ${RESULT} } }`,
};

export async function showRegister(main) {
  const council = chosenCouncil(await loadCouncils());
  const mine = (session.me?.officers ?? []).filter((o) => o.council === council.id);
  const kindOf = (code) => council.roles.find((r) => r.code === code)?.kind;
  const secretariat = mine.some((o) => kindOf(o.role) === "SECRETARIAT");
  // A holder names a deputy for their own member or advisory seat.
  const ownSeats = mine.filter((o) => ["MEMBER", "ADVISOR"].includes(kindOf(o.role))
    && o.ministry && !o.deputy);
  let forms = null; // built once, moved by redraws: what is typed there stays

  async function load() {
    const [{ council: seats, deputies }, events] = await Promise.all([
      graphql(SEATS, { council: council.id }),
      mine.length ? graphql(EVENTS) : Promise.resolve({ registerEvents: [] }),
    ]);
    forms ??= [
      secretariat ? changeForm("appoint", council, seats.units, load) : null,
      secretariat ? changeForm("end", council, seats.units, load) : null,
      secretariat || ownSeats.length
        ? changeForm("deputy", council, seats.units, load, secretariat ? null : ownSeats)
        : null,
    ];
    const s = t();
    replace(main,
      h("h1", {}, `${s.registerTitle}: ${named(council)}`),
      forms,
      h("section", { class: "panel", "aria-labelledby": "h-seats" },
        h("h2", { id: "h-seats" }, s.seats),
        seatTable(council, [...seats.officers, ...deputies])),
      events.registerEvents.length
        ? h("section", { class: "panel", "aria-labelledby": "h-changes" },
          h("h2", { id: "h-changes" }, s.registerChanges),
          h("ul", { class: "timeline" }, events.registerEvents.map((e) => h("li", {},
            h("time", { datetime: e.at }, formatDate(e.at)), " · ",
            h("strong", {}, s.registerKind[e.kind] ?? e.kind), " ",
            [e.role ? roleName(council, e.role) : null, e.ministry?.code, e.person?.name,
              e.detail].filter(Boolean).join(" · "),
            e.basis ? h("small", {}, ` (${s.legalBasis}: ${e.basis})`) : null))))
        : null);
  }
  await load();
}

function seatTable(council, officers) {
  const s = t();
  const sorted = [...officers].sort((a, b) => (a.ministry?.code ?? "").localeCompare(
    b.ministry?.code ?? "") || a.role.localeCompare(b.role) || Number(a.deputy) - Number(b.deputy));
  return h("div", { class: "scroll", tabindex: 0, role: "region", "aria-labelledby": "h-seats" },
    h("table", { class: "matrix register" },
      h("caption", {}, s.seatsCaption),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, unitTerm(council)), h("th", { scope: "col" }, s.role),
        h("th", { scope: "col" }, s.holder))),
      h("tbody", {}, sorted.map((o) => h("tr", { "data-seat": `${o.role}/${o.ministry?.code ?? ""}` },
        h("td", {}, o.ministry?.code ?? "—"),
        h("td", {}, roleName(council, o.role)),
        h("td", {}, o.person.name, o.deputy
          ? ` (${s.deputy}${o.validTo ? ` ${s.until} ${formatDate(o.validTo)}` : ""})` : ""))))));
}

// Midnight in Amsterdam at the start of `day` (YYYY-MM-DD), as an ISO instant.
export function amsterdamMidnight(day) {
  const [y, m, d] = day.split("-").map(Number);
  const guess = new Date(Date.UTC(y, m - 1, d));
  const name = new Intl.DateTimeFormat("en", { timeZone: "Europe/Amsterdam",
    timeZoneName: "shortOffset" }).formatToParts(guess).find((p) => p.type === "timeZoneName");
  const hours = Number((name?.value.match(/GMT([+-]\d+)/) ?? [0, "0"])[1]);
  return new Date(guess.getTime() - hours * 3_600_000).toISOString();
}

function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
}

// One form per kind of change. `seats`: only these (a holder's own), else any of the council.
function changeForm(kind, council, units, done, seats = null) {
  const s = t();
  const id = (name) => `${kind}-${name}`;
  const roles = council.roles.filter((r) => kind === "deputy"
    ? ["MEMBER", "ADVISOR"].includes(r.kind) : true);
  const perUnit = (code) => ["MEMBER", "ADVISOR"].includes(
    council.roles.find((r) => r.code === code)?.kind);
  const notice = h("p", { role: "status", class: "notice", hidden: true });
  const submit = h("button", { type: "submit", id: id("submit") }, s.registerSubmit[kind]);
  const unit = h("select", { id: id("unit"), name: "unit" },
    units.map((u) => h("option", { value: u.code }, `${u.code} — ${u.name}`)));
  const role = seats
    ? h("select", { id: id("seat"), name: "seat" }, seats.map((o) => h("option",
      { value: `${o.role}/${o.ministry.code}` }, `${roleName(council, o.role)} ${o.ministry.code}`)))
    : h("select", { id: id("role"), name: "role", onchange: (event) => {
      unit.disabled = !perUnit(event.target.value);
    } }, roles.map((r) => h("option", { value: r.code }, named(r))));
  if (!seats) unit.disabled = !perUnit(roles[0]?.code);
  const form = h("form", { id: id("form"), class: "action", onsubmit: async (event) => {
    event.preventDefault();
    if (submit.disabled) return; // one change per click
    const data = new FormData(form);
    const [seatRole, seatUnit] = seats ? data.get("seat").split("/") : [data.get("role"),
      unit.disabled ? null : data.get("unit")];
    const from = data.get("from");
    const input = {
      council: council.id, role: seatRole, ministry: seatUnit || null,
      validFrom: from && from > today() ? amsterdamMidnight(from) : null,
      legalBasis: (data.get("basis") || "").trim() || null,
      idempotencyKey: requestKey(), // resent after a lost answer, applied once
    };
    if (kind !== "end") Object.assign(input, { personId: data.get("person").trim(),
      name: data.get("name").trim() });
    if (kind === "deputy") input.validTo = amsterdamMidnight(data.get("to"));
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    try {
      const result = Object.values(await send(MUTATIONS[kind], { input }))[0];
      notice.hidden = false;
      if (result.__typename === "Officer") {
        notice.className = "notice";
        notice.textContent = input.validFrom ? s.scheduled(formatDate(input.validFrom)) : s.done;
        form.reset();
        await done();
      } else {
        notice.className = "notice error";
        notice.textContent = `${s.errors[result.code] ?? result.code} (${result.message})`;
      }
    } catch (error) {
      notice.hidden = false;
      notice.className = "notice error";
      notice.textContent = failure(error);
    } finally {
      submit.disabled = false;
      submit.removeAttribute("aria-busy");
    }
  } },
  kind !== "end" ? [
    h("p", {}, h("label", { for: id("person") }, s.personId), h("br"),
      h("input", { type: "text", id: id("person"), name: "person", required: true,
        maxlength: 100 })),
    h("p", {}, h("label", { for: id("name") }, s.personName), h("br"),
      h("input", { type: "text", id: id("name"), name: "name", required: true,
        maxlength: 200, size: 40 })),
  ] : null,
  h("p", {}, h("label", { for: seats ? id("seat") : id("role") }, s.role), " ", role,
    seats ? null : [" ", h("label", { for: id("unit") }, unitTerm(council)), " ", unit]),
  h("p", {}, h("label", { for: id("from") }, s.validFrom), " ",
    h("input", { type: "date", id: id("from"), name: "from", min: today() }),
    kind === "deputy" ? [" ", h("label", { for: id("to") }, s.validTo), " ",
      h("input", { type: "date", id: id("to"), name: "to", required: true,
        min: today() })] : null),
  h("p", {}, h("label", { for: id("basis") }, s.legalBasisLong), h("br"),
    h("input", { type: "text", id: id("basis"), name: "basis", maxlength: 2000, size: 60 })),
  notice, submit);
  return h("details", { class: "raise" }, h("summary", {}, s.registerForm[kind]), form);
}
