// A Fedify server for Guildhall's federation test: one actor (ana) with an RSA key, follows
// accepted automatically, every activity its inbox receives kept for the test to read, and a
// small control API the test drives: follow a Group actor, reply to a thread.
//
//   node peer.mjs            prints {"port": N} once it listens on 127.0.0.1
//   GET  /control/received   what the inbox received (type, id, actor, object)
//   POST /control/follow     {"actor": "<group actor URL>"}
//   POST /control/reply      {"actor": "<group actor URL>", "inReplyTo": "<object URL>", "content": "<html>"}
import http from "node:http";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Announce,
  Create,
  Endpoints,
  Follow,
  Note,
  Person,
  PUBLIC_COLLECTION,
} from "@fedify/fedify/vocab";

const received = [];
const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "ana") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Ana at the partner organisation",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((pair) => pair.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "ana" ? [keys] : []));

async function keep(ctx, activity) {
  const object = await activity.getObject({ documentLoader: ctx.documentLoader }).catch(() => null);
  const inner = object && typeof object.getObject === "function"
    ? await object.getObject({ documentLoader: ctx.documentLoader }).catch(() => null)
    : null;
  received.push({
    type: activity.constructor.name,
    id: activity.id?.href,
    actor: activity.actorId?.href,
    object: object ? { type: object.constructor.name, id: object.id?.href } : null,
    inner: inner ? { type: inner.constructor.name, id: inner.id?.href, name: inner.name?.toString() ?? null } : null,
  });
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, keep)
  .on(Announce, keep)
  .on(Create, keep);

async function body(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function answer(response, status, value) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

let origin = "";
const server = http.createServer(async (request, response) => {
  try {
    const url = new URL(request.url, origin);
    if (url.pathname.startsWith("/control/")) {
      const ctx = federation.createContext(new URL(origin), undefined);
      if (request.method === "GET" && url.pathname === "/control/received") {
        return answer(response, 200, received);
      }
      const input = JSON.parse((await body(request)).toString() || "{}");
      const group = await ctx.lookupObject(input.actor);
      if (!group) return answer(response, 404, { error: "the group actor could not be fetched" });
      const me = ctx.getActorUri("ana");
      if (url.pathname === "/control/follow") {
        const follow = new Follow({ id: new URL(`/follows/${Date.now()}`, origin), actor: me, object: group.id });
        await ctx.sendActivity({ identifier: "ana" }, group, follow);
        return answer(response, 202, { id: follow.id.href });
      }
      if (url.pathname === "/control/reply") {
        const noteId = new URL(`/notes/${Date.now()}`, origin);
        const note = new Note({
          id: noteId,
          attribution: me,
          replyTarget: new URL(input.inReplyTo),
          content: input.content,
          to: PUBLIC_COLLECTION,
          cc: group.id,
        });
        const create = new Create({ id: new URL(`${noteId.href}/create`), actor: me, object: note, to: PUBLIC_COLLECTION, cc: group.id });
        await ctx.sendActivity({ identifier: "ana" }, group, create);
        return answer(response, 202, { id: noteId.href });
      }
      return answer(response, 404, { error: "no such control" });
    }
    const payload = ["GET", "HEAD"].includes(request.method) ? undefined : await body(request);
    const fedRequest = new Request(url, { method: request.method, headers: request.headers, body: payload });
    const fedResponse = await federation.fetch(fedRequest, { contextData: undefined });
    response.writeHead(fedResponse.status, Object.fromEntries(fedResponse.headers));
    response.end(Buffer.from(await fedResponse.arrayBuffer()));
  } catch (error) {
    answer(response, 500, { error: String(error?.stack ?? error) });
  }
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  origin = `http://127.0.0.1:${port}`;
  console.log(JSON.stringify({ port }));
});
