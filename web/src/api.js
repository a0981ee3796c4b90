// GraphQL over HTTP for reads and mutations; issueEvents over graphql-transport-ws (the
// graphql-ws client) with reconnects and a resync after every reconnect.
import { createClient } from "graphql-ws";
import { session } from "./session.js";

function authorization() {
  const token = session.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function graphql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...authorization() },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) {
    const error = new Error(body.errors.map((e) => e.message).join("; "));
    error.codes = body.errors.map((e) => e.extensions?.code);
    throw error;
  }
  return body.data;
}

/**
 * A mutation that carries an idempotency key, resent with the same key when the answer was
 * lost (a dropped connection) or the server asks to try again: applied once, and a success
 * on the second try reads as a success.
 */
export async function send(query, variables, retries = 3) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await graphql(query, variables);
    } catch (error) {
      const again = error instanceof TypeError || error.codes?.includes("TRY_AGAIN");
      if (!again || attempt >= retries) throw error;
      await retryWait(attempt);
    }
  }
}

// Backoff with jitter: 0.5 s, 1 s, 2 s, ... up to 10 s between attempts.
function retryWait(retries) {
  const delay = Math.min(10_000, 500 * 2 ** retries);
  return new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay / 2));
}

let client = null;

/**
 * Follows issueEvents of one issue (issueId) or all (null). onEvent gets each event;
 * onResync runs after a reconnect, when events may have been missed; onStatus gets
 * "live" or "offline".
 */
export function follow({ subscription = "issueEvents", issueId = null, selection, onEvent,
  onResync, onStatus }) {
  stopFollowing();  // without a token: the public's events (what the public may read)
  onStatus("offline"); // until the socket is up
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  let socket = null;
  client = createClient({
    url,
    connectionParams: () => authorization(),
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait,
    on: {
      connected: (s, _payload, wasRetry) => {
        socket = s;
        onStatus("live");
        if (wasRetry) onResync();
      },
      closed: () => onStatus("offline"),
    },
  });
  window.stelsel = {
    // For tests and operators: drop the socket as a network failure would.
    dropSocket: () => socket && socket.close(4000, "dropped"),
  };
  client.subscribe(
    {
      query: subscription === "issueEvents"
        ? `subscription($id: ID) { issueEvents(issueId: $id) { ${selection} } }`
        : `subscription { ${subscription} { ${selection} } }`,
      variables: { id: issueId },
    },
    {
      next: ({ data, errors }) => {
        if (data) onEvent(data[subscription]);
        if (errors) console.error(errors);
      },
      error: (error) => console.error(error),
      complete: () => {},
    },
  );
}

export function stopFollowing() {
  if (client) client.dispose();
  client = null;
}
