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
    loadMore: (n) => `Meer laden (nog ${n})`,
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
    changeVote: "Stem wijzigen",
    currentVote: (choice, reason) => `Uw stem tot nu toe: ${choice}${reason ? ` (${reason})` : ""}. Een nieuwe stem vervangt haar.`,
    voteCast: "Uw stem is uitgebracht.",
    voteChanged: "Uw stem is gewijzigd.",
    recuse: "Mij verschonen (belangenverstrengeling)",
    recuseReason: "Reden (zien alleen leden met een benoeming; definitief)",
    errors: {
      FORBIDDEN: "Dit mag u niet (meer) doen.",
      WRONG_PHASE: "De zaak is inmiddels in een andere fase; de pagina toont de stand van nu.",
      DUPLICATE: "Dit is al gebeurd.",
      INVALID_INPUT: "De invoer klopt niet.",
      PRECONDITION_FAILED: "Dit kan nog niet.",
      NOT_FOUND: "Niet gevonden.",
    },
    eventKind: {
      RAISED: "Ingediend", ADVICE_SUBMITTED: "Advies uitgebracht",
      ADVICE_WINDOW_EXTENDED: "Adviestermijn verlengd", PHASE_CHANGED: "Nieuwe fase",
      CONTRIBUTION_POSTED: "Bijdrage geplaatst", PROPOSAL_AMENDED: "Voorstel gewijzigd",
      VOTE_CAST: "Stem uitgebracht", CONSENSUS_REACHED: "Consensus bereikt",
      NO_CONSENSUS: "Geen consensus", MANDATE_OVERDUE: "Mandaattermijn verstreken",
      DECISION_OVERDUE: "Besluittermijn verstreken", DECIDED: "Besloten",
      RECLASSIFIED: "Heringedeeld", WITHDRAWN: "Ingetrokken",
      REMINDER_SENT: "Herinnering verstuurd", RECUSED: "Verschoond",
    },
    closePhase: "Fase nu sluiten",
    confirmClose: "Bevestig: sluit fase",
    closeWarning: (next, waiting) => `Daarna: ${next === "DECIDED_OR_MANDATE" ? "besluit (of mandaat)" : next.toLowerCase()}. `
      + (waiting.length ? `Nog niet gehandeld (${waiting.length}): ${waiting.slice(0, 12).join(", ")}${waiting.length > 12 ? " …" : ""}.` : "Iedereen heeft gehandeld."),
    decide: "Besluiten",
    adopt: "Aannemen",
    reject: "Verwerpen",
    done: "Gedaan.",
    notFound: "Deze kwestie bestaat niet.",
    back: "Terug naar het overzicht",
    days: "d", hours: "u", minutes: "m", seconds: "s",
    frameworks: "Bindende kaders",
    report: "Rapportage",
    reportTables: "Tabellen (zip)",
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
    loadMore: (n) => `Load more (${n} left)`,
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
    changeVote: "Change vote",
    currentVote: (choice, reason) => `Your vote so far: ${choice}${reason ? ` (${reason})` : ""}. A new vote replaces it.`,
    voteCast: "Your vote has been cast.",
    voteChanged: "Your vote has been changed.",
    recuse: "Recuse myself (conflict of interest)",
    recuseReason: "Reason (read only by appointed members; final)",
    errors: {
      FORBIDDEN: "You may not (or no longer) do this.",
      WRONG_PHASE: "The issue has moved on to another phase; the page shows where it is now.",
      DUPLICATE: "This has happened already.",
      INVALID_INPUT: "The input is not valid.",
      PRECONDITION_FAILED: "This cannot be done yet.",
      NOT_FOUND: "Not found.",
    },
    eventKind: {
      RAISED: "Raised", ADVICE_SUBMITTED: "Advice submitted",
      ADVICE_WINDOW_EXTENDED: "Advice window extended", PHASE_CHANGED: "New phase",
      CONTRIBUTION_POSTED: "Contribution posted", PROPOSAL_AMENDED: "Proposal amended",
      VOTE_CAST: "Vote cast", CONSENSUS_REACHED: "Consensus reached",
      NO_CONSENSUS: "No consensus", MANDATE_OVERDUE: "Mandate window passed",
      DECISION_OVERDUE: "Decision window passed", DECIDED: "Decided",
      RECLASSIFIED: "Reclassified", WITHDRAWN: "Withdrawn",
      REMINDER_SENT: "Reminder sent", RECUSED: "Recused",
    },
    closePhase: "Close this phase now",
    confirmClose: "Confirm: close phase",
    closeWarning: (next, waiting) => `Next: ${next === "DECIDED_OR_MANDATE" ? "decision (or mandate)" : next.toLowerCase()}. `
      + (waiting.length ? `Not yet acted (${waiting.length}): ${waiting.slice(0, 12).join(", ")}${waiting.length > 12 ? " …" : ""}.` : "Everyone has acted."),
    decide: "Decide",
    adopt: "Adopt",
    reject: "Reject",
    done: "Done.",
    notFound: "This issue does not exist.",
    back: "Back to the board",
    days: "d", hours: "h", minutes: "m", seconds: "s",
    frameworks: "Binding frameworks",
    report: "Report",
    reportTables: "Tables (zip)",
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
