"use strict";
// The official twilio package against `twilio-mock serve`, through LocalTwilio: a message sent
// and fetched back, a v1-style paged list (next_page_url followed), an error, and the same list
// through a client with a region and an edge. Prints one JSON object; tests/ways_in/test_node.py
// runs it. Reads TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_API_BASE.
const twilio = require("twilio");
const { LocalTwilio } = require("./local_twilio");

// Notes the URL twilio-node asked for (region/edge applied, before the rewrite), so the output
// shows which pages were requested and as which host.
class Recording extends LocalTwilio {
  constructor(opts) {
    super(opts);
    this.uris = [];
  }

  request(opts) {
    this.uris.push(opts.uri);
    return super.request(opts);
  }
}

async function listServices(client, http) {
  http.uris.length = 0;
  const services = await client.verify.v2.services.list({ pageSize: 2 });
  return {
    names: services.map((s) => s.friendlyName),
    sids: services.map((s) => s.sid),
    pages: http.uris.filter((uri) => new URL(uri).pathname === "/v2/Services"),
  };
}

async function main() {
  const sid = process.env.TWILIO_ACCOUNT_SID;
  const token = process.env.TWILIO_AUTH_TOKEN;
  const http = new Recording();
  const client = twilio(sid, token, { httpClient: http });

  const body = "Hello from twilio-node";
  const sent = await client.messages.create({ to: "+15558675310", from: "+15017122661", body });
  const fetched = await client.messages(sent.sid).fetch();

  const created = [];
  for (let i = 1; i <= 5; i++) {
    const service = await client.verify.v2.services.create({ friendlyName: `Node ${i}` });
    created.push(service.sid);
  }
  const services = await listServices(client, http);

  let error = null;
  try {
    await client.messages(`SM${"0".repeat(32)}`).fetch();
  } catch (err) {
    if (!(err instanceof twilio.RestException)) throw err;
    error = { status: err.status, code: err.code, message: err.message, moreInfo: err.moreInfo };
  }

  const regionalHttp = new Recording();
  const regional = twilio(sid, token, { httpClient: regionalHttp, region: "au1", edge: "sydney" });
  const regionalServices = await listServices(regional, regionalHttp);

  const result = {
    message: {
      sid: sent.sid,
      accountSid: sent.accountSid,
      to: sent.to,
      from: sent.from,
      body,
      status: sent.status,
      uri: sent.uri,
    },
    fetched: { sid: fetched.sid, body: fetched.body, to: fetched.to, from: fetched.from },
    created,
    services,
    error,
    regional: regionalServices,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
