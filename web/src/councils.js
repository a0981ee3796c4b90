// The councils of this deployment and their words: role, unit and scope names come from
// each council's definition, never from the dashboard's code.
import { graphql } from "./api.js";
import { currentLanguage, t } from "./i18n.js";

// What the dashboard needs of a council; the issue page asks it of the version the issue
// pinned, the board of the version in force.
export const WORDS = `id name nameEn unitTerm unitTermEn default
  roles { code kind name nameEn } scopes { scope name nameEn }
  procedure { adviceWindowSeconds deliberationWindowSeconds voteWindowSeconds
    mandateWindowSeconds quorum }`;

let councils = null;

export async function loadCouncils() {
  councils ??= graphql(`{ councils { ${WORDS} } }`).then((data) => data.councils);
  return councils;
}

const english = () => currentLanguage() === "en";
export const named = (item) => (english() ? item.nameEn : item.name);

// The council the board shows: the one last chosen, else the deployment's default.
export function chosenCouncil(all) {
  const kept = localStorage.getItem("stelsel.council");
  return all.find((c) => c.id === kept) ?? all.find((c) => c.default) ?? all[0];
}

export function chooseCouncil(id) {
  localStorage.setItem("stelsel.council", id);
}

export function roleName(council, code) {
  const role = council?.roles.find((r) => r.code === code);
  return role ? named(role) : code;
}

export function chairName(council) {
  const chair = council?.roles.find((r) => r.kind === "CHAIR");
  return chair ? named(chair) : "";
}

export function scopeName(council, scope) {
  const found = council?.scopes.find((s) => s.scope === scope);
  return found ? named(found) : t().scope[scope];
}

export function unitTerm(council) {
  const term = council ? (english() ? council.unitTermEn : council.unitTerm) : t().ministry;
  return term.charAt(0).toUpperCase() + term.slice(1);
}

export function routeName(council, route) {
  if (route === "MANDATE") return t().mandateOf(chairName(council));
  if (route === "DEPARTMENTAL") return scopeName(council, "DEPARTMENTAL");
  return t().route[route];
}

export function advisorCodes(council) {
  return (council?.roles ?? []).filter((r) => r.kind === "ADVISOR").map((r) => r.code);
}
