"use strict";
// Point the official `twilio` npm package at `twilio-mock serve`:
//
//   const twilio = require("twilio");
//   const { LocalTwilio } = require("./local_twilio");
//   const client = twilio(sid, token, { httpClient: new LocalTwilio() });
//
// twilio-node has no base-URL setting, so this HTTP client sends every request for a
// *.twilio.com host to the server instead, keeping the Twilio host in the Host header. The
// server then answers as that host: every absolute URL it renders (next_page_url, url,
// links) is a Twilio URL, which the client's region/edge rules and this rewrite handle again
// when they are followed. Rewriting only *.twilio.com hosts leaves any other URL alone.
const { RequestClient } = require("twilio");

const DEFAULT_BASE = "http://127.0.0.1:4010";

class LocalTwilio extends RequestClient {
  /**
   * @param {object} [opts] RequestClient's options, plus `base`: the server's URL
   *   (default: TWILIO_API_BASE, else http://127.0.0.1:4010).
   */
  constructor(opts = {}) {
    const { base, ...rest } = opts;
    super(rest);
    this.base = (base || process.env.TWILIO_API_BASE || DEFAULT_BASE).replace(/\/+$/, "");
  }

  request(opts) {
    const url = new URL(opts.uri);
    if (!url.hostname.endsWith(".twilio.com")) {
      return super.request(opts);
    }
    // A copy: twilio-node passes the same headers object along; Host is case-insensitive,
    // so drop any other spelling before setting ours.
    const headers = {};
    for (const [name, value] of Object.entries(opts.headers || {})) {
      if (name.toLowerCase() !== "host") headers[name] = value;
    }
    headers.Host = url.host;
    const uri = this.base + url.pathname + url.search;
    return super.request({ ...opts, uri, headers });
  }
}

module.exports = { LocalTwilio };
