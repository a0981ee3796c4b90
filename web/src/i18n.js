// Dutch by default (the users are Dutch civil servants); English by a switch.
const TEXTS = {
  nl: {
    title: "Stelsel — besluitvorming CIO-stelsel",
    board: "Overzicht",
    signIn: "Inloggen",
    signOut: "Uitloggen",
    signedInAs: "Ingelogd als",
    anonymous: "Niet ingelogd: openbare weergave",
    token: "Token (JWT)",
    demoRole: "Of kies een demorol",
    noRole: "— kies —",
    use: "Gebruiken",
    cancel: "Annuleren",
    language: "English",
    live: "Live",
    offline: "Verbinding verbroken, opnieuw verbinden…",
    liveNeedsSignIn: "Log in voor live bijwerken",
    recentlyDecided: "Recent besloten",
    nothingHere: "Geen kwesties",
    waitsFor: (who) => `Wacht op de ${who}`,
    council: "Raad",
    role: "Rol",
    mandateOf: (who) => `mandaat ${who}`,
    overdue: "Termijn verstreken",
    deadline: "Termijn",
    closesIn: "sluit over",
    expired: "verstreken",
    scope: { DEPARTMENTAL: "departementaal", GOVERNMENT_WIDE: "rijksbreed" },
    phase: {
      ADVICE: "Advies", DELIBERATION: "Beraad", VOTING: "Stemming", MANDATE: "Mandaat",
      DEPARTMENTAL_DECISION: "Departementaal besluit", DECIDED: "Besloten",
      WITHDRAWN: "Ingetrokken",
    },
    route: { CONSENSUS: "consensus", MAJORITY: "meerderheid", DEPARTMENTAL: "departementaal" },
    outcome: { ADOPTED: "aangenomen", REJECTED: "verworpen" },
    tally: { agree: "eens", abstain: "onthouding", object: "bezwaar", notVoted: "niet gestemd" },
    tallyLabel: (t) => `Stemmen: ${t.agree} eens, ${t.abstain} onthouding, ${t.object} bezwaar, ${t.notVoted} niet gestemd`,
    proposal: "Voorstel",
    version: "versie",
    procedure: "Procedure",
    windows: {
      adviceWindowSeconds: "Adviestermijn", deliberationWindowSeconds: "Beraadtermijn",
      voteWindowSeconds: "Stemtermijn", mandateWindowSeconds: "Mandaattermijn",
    },
    quorum: "Quorum",
    raisedBy: "Ingediend door",
    ministry: "Ministerie",
    personalData: "Raakt persoonsgegevens",
    binding: "Bindend kader",
    decision: "Besluit",
    timeline: "Tijdlijn",
    advice: "Adviezen",
    contributions: "Bijdragen",
    votes: "Stemmen",
    tallyTitle: "Stand van de stemming",
    hidden: "Alleen zichtbaar voor wie een benoeming heeft.",
    none: "Nog niets.",
    act: "Handelen",
    stance: { SUPPORT: "steun", CONDITIONAL: "voorwaardelijk", OBJECT: "bezwaar" },
    choice: { AGREE: "eens", ABSTAIN: "onthouding", OBJECT: "bezwaar" },
    text: "Tekst",
    reason: "Reden (verplicht bij bezwaar)",
    motivation: "Motivering",
    submitAdvice: "Advies indienen",
    contribute: "Bijdrage plaatsen",
    castVote: "Stem uitbrengen",
    closePhase: "Fase nu sluiten",
    confirmClose: "Bevestig: sluit fase",
    decide: "Besluiten",
    adopt: "Aannemen",
    reject: "Verwerpen",
    done: "Gedaan.",
    notFound: "Deze kwestie bestaat niet.",
    back: "Terug naar het overzicht",
    days: "d", hours: "u", minutes: "m", seconds: "s",
    frameworks: "Bindende kaders",
    noFrameworks: "Nog geen bindende kaders.",
    compliance: "Naleving",
    matrix: "Naleving per ministerie",
    matrixCaption: "Status van de invoering van elk kader per ministerie",
    adoptBy: "invoeren vóór",
    adoption: { PENDING: "open", PLANNED: "gepland", IMPLEMENTED: "ingevoerd", EXCEPTION: "uitzondering" },
  },
  en: {
    title: "Stelsel — CIO system decisions",
    board: "Board",
    signIn: "Sign in",
    signOut: "Sign out",
    signedInAs: "Signed in as",
    anonymous: "Not signed in: public view",
    token: "Token (JWT)",
    demoRole: "Or pick a demo role",
    noRole: "— pick —",
    use: "Use",
    cancel: "Cancel",
    language: "Nederlands",
    live: "Live",
    offline: "Connection lost, reconnecting…",
    liveNeedsSignIn: "Sign in for live updates",
    recentlyDecided: "Recently decided",
    nothingHere: "No issues",
    waitsFor: (who) => `Waiting for the ${who}`,
    council: "Council",
    role: "Role",
    mandateOf: (who) => `mandate of the ${who}`,
    overdue: "Overdue",
    deadline: "Deadline",
    closesIn: "closes in",
    expired: "passed",
    scope: { DEPARTMENTAL: "departmental", GOVERNMENT_WIDE: "government-wide" },
    phase: {
      ADVICE: "Advice", DELIBERATION: "Deliberation", VOTING: "Voting", MANDATE: "Mandate",
      DEPARTMENTAL_DECISION: "Departmental decision", DECIDED: "Decided",
      WITHDRAWN: "Withdrawn",
    },
    route: { CONSENSUS: "consensus", MAJORITY: "majority", DEPARTMENTAL: "departmental" },
    outcome: { ADOPTED: "adopted", REJECTED: "rejected" },
    tally: { agree: "agree", abstain: "abstain", object: "object", notVoted: "not voted" },
    tallyLabel: (t) => `Votes: ${t.agree} agree, ${t.abstain} abstain, ${t.object} object, ${t.notVoted} not voted`,
    proposal: "Proposal",
    version: "version",
    procedure: "Procedure",
    windows: {
      adviceWindowSeconds: "Advice window", deliberationWindowSeconds: "Deliberation window",
      voteWindowSeconds: "Vote window", mandateWindowSeconds: "Mandate window",
    },
    quorum: "Quorum",
    raisedBy: "Raised by",
    ministry: "Ministry",
    personalData: "Touches personal data",
    binding: "Binding framework",
    decision: "Decision",
    timeline: "Timeline",
    advice: "Advice",
    contributions: "Contributions",
    votes: "Votes",
    tallyTitle: "Tally",
    hidden: "Visible only to holders of an appointment.",
    none: "Nothing yet.",
    act: "Act",
    stance: { SUPPORT: "support", CONDITIONAL: "conditional", OBJECT: "object" },
    choice: { AGREE: "agree", ABSTAIN: "abstain", OBJECT: "object" },
    text: "Text",
    reason: "Reason (required to object)",
    motivation: "Motivation",
    submitAdvice: "Submit advice",
    contribute: "Post contribution",
    castVote: "Cast vote",
    closePhase: "Close this phase now",
    confirmClose: "Confirm: close phase",
    decide: "Decide",
    adopt: "Adopt",
    reject: "Reject",
    done: "Done.",
    notFound: "This issue does not exist.",
    back: "Back to the board",
    days: "d", hours: "h", minutes: "m", seconds: "s",
    frameworks: "Binding frameworks",
    noFrameworks: "No binding frameworks yet.",
    compliance: "Compliance",
    matrix: "Compliance per ministry",
    matrixCaption: "Adoption status of each framework per ministry",
    adoptBy: "adopt by",
    adoption: { PENDING: "pending", PLANNED: "planned", IMPLEMENTED: "implemented", EXCEPTION: "exception" },
  },
};

let language = localStorage.getItem("stelsel.language") === "en" ? "en" : "nl";

export function t() {
  return TEXTS[language];
}

export function currentLanguage() {
  return language;
}

export function toggleLanguage() {
  language = language === "nl" ? "en" : "nl";
  localStorage.setItem("stelsel.language", language);
  document.documentElement.lang = language;
}

const locale = () => (language === "nl" ? "nl-NL" : "en-GB");

// Every date in Europe/Amsterdam, whatever the screen's own time zone.
export function formatDate(iso) {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam",
  }).format(new Date(iso));
}

export function formatDuration(seconds) {
  const s = t();
  const parts = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [size, unit] of [[86400, s.days], [3600, s.hours], [60, s.minutes], [1, s.seconds]]) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count || (parts.length === 0 && size === 1)) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
