// The signed-in person: a bearer token kept in this browser, and what the API says of them.
const KEY = "stelsel.token";

export const session = {
  me: null,
  token: () => localStorage.getItem(KEY),
  set(token) {
    if (token) localStorage.setItem(KEY, token);
    else localStorage.removeItem(KEY);
    this.me = null;
  },
};

// Demo roles exist only in development mode; elsewhere the endpoint answers 404.
export async function demoRoles() {
  const response = await fetch("/dev/tokens");
  return response.ok ? response.json() : [];
}
