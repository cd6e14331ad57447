// Honour a Matrix server's relay forcing in a matrix-js-sdk client with one call:
//
//   import { honourForceTurn } from "@tern/matrix-force-turn";
//   await honourForceTurn(client);          // before the first call is placed or answered
//
// It reads two flags and, when either is true, calls client.setForceTURN(true), so every RTCPeerConnection
// matrix-js-sdk creates from then on has iceTransportPolicy "relay" (only relay candidates are gathered and
// signalled; the peer never learns this device's addresses):
// - "im.vector.riot.forceTurn" at the top of /.well-known/matrix/client (MSC4096, server- or domain-wide);
// - "dev.tern.force_relay" in the authenticated /voip/turnServer answer (Tern: this user's own policy).
// It never turns forceTURN off: a user's own "always relay" choice stays. No dependency: it uses the client
// it is given and fetch.

/** The well-known key of MSC4096. */
export const WELL_KNOWN_KEY = "im.vector.riot.forceTurn";

/** The key of Tern's /voip/turnServer answer with the user's own decision. */
export const TURN_SERVER_KEY = "dev.tern.force_relay";

/**
 * Reads the flags and turns on matrix-js-sdk's forceTURN when either is true.
 *
 * @param {object} client a matrix-js-sdk MatrixClient (with a base URL and an access token)
 * @param {object} [options]
 * @param {object} [options.wellKnown] the /.well-known/matrix/client document the client already has (for
 *     example from AutoDiscovery at login); when absent, the client's own (client.getClientWellKnown()), else it
 *     is fetched from options.wellKnownUrl, else from https://SERVER_NAME/.well-known/matrix/client
 * @param {string} [options.wellKnownUrl] where to fetch the well-known when no document is given
 * @param {typeof fetch} [options.fetch] the fetch to use (default globalThis.fetch)
 * @returns {Promise<{forced: boolean, wellKnown: boolean|null, perUser: boolean|null, problems: string[]}>}
 *     whether relay is now forced, what each source said (null: it could not be read, see problems)
 */
export async function honourForceTurn(client, options = {}) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const problems = [];
  const [wellKnown, perUser] = await Promise.all([
    readWellKnownFlag(client, options, doFetch).catch((e) => { problems.push("well-known: " + describe(e)); return null; }),
    readPerUserFlag(client).catch((e) => { problems.push("turnServer: " + describe(e)); return null; }),
  ]);
  const forced = wellKnown === true || perUser === true;
  if (forced) {
    if (typeof client.setForceTURN === "function") {
      client.setForceTURN(true);
    } else {
      client.forceTURN = true; // matrix-js-sdk before setForceTURN existed read the property directly
    }
  }
  return { forced, wellKnown, perUser, problems };
}

/** The MSC4096 flag of a well-known document: true, false, or null when the document does not say. */
export function forceTurnIn(wellKnown) {
  const value = wellKnown?.[WELL_KNOWN_KEY];
  return typeof value === "boolean" ? value : null;
}

async function readWellKnownFlag(client, options, doFetch) {
  let document = options.wellKnown ?? nonEmpty(client.getClientWellKnown?.());
  if (!document) {
    const url = options.wellKnownUrl ?? defaultWellKnownUrl(client);
    const response = await doFetch(url, { headers: { Accept: "application/json" } });
    if (response.status === 404) return null; // no well-known: nothing forced there
    if (!response.ok) throw new Error(url + " answered " + response.status);
    document = await response.json();
  }
  return forceTurnIn(document);
}

async function readPerUserFlag(client) {
  // The SDK's own HTTP layer: its base URL, access token and error types.
  const answer = await client.turnServer();
  const value = answer?.[TURN_SERVER_KEY];
  return typeof value === "boolean" ? value : null;
}

function defaultWellKnownUrl(client) {
  const domain = client.getDomain?.();
  if (!domain) throw new Error("no wellKnown, wellKnownUrl or user id to find the server name from");
  return "https://" + domain + "/.well-known/matrix/client";
}

function nonEmpty(document) {
  return document && Object.keys(document).length > 0 ? document : null;
}

function describe(e) {
  return e?.errcode ? e.errcode + " (" + e.httpStatus + ")" : String(e?.message ?? e);
}
