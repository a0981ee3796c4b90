// Stelsel's dashboard: the board at /, one issue at /issues/<id>.
import { graphql, stopFollowing } from "./api.js";
import { showBoard } from "./board.js";
import { h, replace } from "./dom.js";
import { currentLanguage, t, toggleLanguage } from "./i18n.js";
import { showFrameworks } from "./frameworks.js";
import { showIssue } from "./issue.js";
import { showRegister } from "./register.js";
import { setStatus } from "./parts.js";
import { demoRoles, session } from "./session.js";
import { loadCouncils, roleName } from "./councils.js";

const main = document.getElementById("main");
const header = document.getElementById("header");

// "CIO BZK", "gemeentesecretaris": a seat in its council's words.
function seatName(officer) {
  const council = councils.find((c) => c.id === officer.council);
  const role = roleName(council, officer.role);
  return officer.ministry ? `${role} ${officer.ministry.code}` : role;
}

let councils = [];

async function loadMe() {
  session.me = null;
  if (!session.token()) return;
  try {
    const data = await graphql(
      "{ me { id name officers { role council deputy ministry { code } } } }");
    session.me = data.me ?? { name: "?", officers: [] };
  } catch (error) {
    session.set(null); // expired or invalid: back to the public view
  }
}

function renderHeader() {
  const s = t();
  const me = session.me;
  const who = me
    ? `${s.signedInAs} ${me.name}${me.officers.length
      ? ` (${me.officers.map((o) => seatName(o)).join(", ")})`
      : ""}`
    : s.anonymous;
  replace(header,
    h("a", { href: "/", class: "brand" }, "Stelsel"),
    h("nav", { "aria-label": "Stelsel" },
      h("a", { href: "/" }, s.board), " ", h("a", { href: "/frameworks" }, s.frameworks), " ",
      h("a", { href: "/register" }, s.registerNav), " ",
      h("a", { href: `/reports/register.md?taal=${currentLanguage()}` }, s.report), " ",
      h("a", { href: `/reports/register.zip?taal=${currentLanguage()}` }, s.reportTables)),
    h("span", { class: "who", "data-testid": "who" }, who),
    h("span", { id: "live-status", role: "status", class: "live" }),
    h("button", { type: "button", onclick: () => { toggleLanguage(); start(); },
      lang: currentLanguage() === "nl" ? "en" : "nl" }, s.language),
    me
      ? h("button", { type: "button", onclick: () => { session.set(null); start(); } }, s.signOut)
      : h("button", { type: "button", id: "sign-in", onclick: openSignIn }, s.signIn));
}

async function openSignIn() {
  const s = t();
  const roles = await demoRoles();
  const dialog = h("dialog", { "aria-labelledby": "sign-in-title" },
    h("form", { method: "dialog", onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const token = (data.get("demo") || data.get("token") || "").trim();
      dialog.close();
      dialog.remove();
      if (token) {
        session.set(token);
        start();
      }
    } },
    h("h2", { id: "sign-in-title" }, s.signIn),
    h("p", {}, h("label", { for: "token" }, s.token), h("br"),
      h("textarea", { id: "token", name: "token", rows: 3, cols: 50 })),
    roles.length ? h("p", {}, h("label", { for: "demo" }, s.demoRole), h("br"),
      h("select", { id: "demo", name: "demo" },
        h("option", { value: "" }, s.noRole),
        roles.map((r) => h("option", { value: r.token }, r.label)))) : null,
    h("p", {},
      h("button", { type: "submit", id: "sign-in-use" }, s.use), " ",
      h("button", { type: "button", onclick: () => { dialog.close(); dialog.remove(); } },
        s.cancel))));
  document.body.append(dialog);
  dialog.showModal();
}

async function start() {
  stopFollowing();
  document.documentElement.lang = currentLanguage();
  document.title = t().title;
  [councils] = await Promise.all([loadCouncils(), loadMe()]);
  renderHeader();
  const match = location.pathname.match(/^\/issues\/([^/]+)$/);
  if (match) await showIssue(main, decodeURIComponent(match[1]));
  else if (location.pathname === "/frameworks") await showFrameworks(main);
  else if (location.pathname === "/register") await showRegister(main);
  else await showBoard(main);
}

start();
