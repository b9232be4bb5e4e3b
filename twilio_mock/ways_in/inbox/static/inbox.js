// The inbox page: live updates over Server-Sent Events and the phone's actions, each one a
// request to the mock's control plane (/__mock__/), the same endpoints tests use.
// Plain JavaScript, no build step. Text from the mock is only ever set with textContent; the
// views are HTML that the server rendered with every value escaped.
"use strict";

(function () {
  const body = document.body;
  const prefix = body.dataset.prefix;
  const view = document.getElementById("view");
  const live = document.getElementById("live");
  const result = document.getElementById("result");

  function viewUrl() {
    const params = new URLSearchParams(location.search);
    params.set("fragment", "1");
    const path = location.pathname === "/" ? prefix + "/threads" : location.pathname;
    return path + "?" + params.toString();
  }

  let pending = null;
  let running = false;
  async function refresh() {
    if (running) { pending = pending || setTimeout(fire, 100); return; }
    running = true;
    try {
      const answer = await fetch(viewUrl(), { headers: { Accept: "text/html" } });
      if (answer.ok) {
        const html = await answer.text();
        const open = new Set(Array.from(view.querySelectorAll("details[open]"), (d) => d.dataset.key));
        view.innerHTML = html;  // rendered and escaped by the server
        view.querySelectorAll("details").forEach((d) => { if (open.has(d.dataset.key)) d.open = true; });
        body.dataset.updated = String(Number(body.dataset.updated || "0") + 1);
      }
    } finally {
      running = false;
    }
  }
  function fire() { pending = null; refresh(); }
  function soon() { if (!pending) pending = setTimeout(fire, 80); }

  function connect() {
    const events = new EventSource(prefix + "/events");
    events.addEventListener("hello", () => { live.textContent = "live"; live.className = "live on"; });
    events.addEventListener("change", soon);
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        live.textContent = "live updates off (too many pages open?) — reload to retry";
        live.className = "live off";
      } else {
        live.textContent = "reconnecting…";
        live.className = "live";
      }
    };
  }

  function say(text, failed) {
    result.textContent = text;
    result.className = failed ? "failed" : "done";
  }

  async function post(url, data, json) {
    const init = { method: "POST", headers: {} };
    if (json) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(data);
    } else {
      init.body = new URLSearchParams(data);
    }
    const answer = await fetch(url, init);
    let payload = null;
    try { payload = await answer.json(); } catch (e) { payload = null; }
    if (!answer.ok) {
      const message = payload && payload.message ? payload.message : answer.statusText;
      throw new Error(answer.status + (payload && payload.code ? " (" + payload.code + ")" : "") + ": " + message);
    }
    return payload;
  }

  function fields(form) {
    const data = [];
    new FormData(form).forEach((value, name) => { if (String(value).trim() !== "") data.push([name, String(value)]); });
    return data;
  }

  const actions = {
    "sms-form": async (form) => {
      const sent = await post("/__mock__/inbound/sms", fields(form));
      const hooks = sent.deliveries.map((d) => d.status === null ? "no answer" : String(d.status));
      return "Received " + sent.sid + "; webhooks: " + (hooks.join(", ") || "none") +
        "; replies sent: " + sent.replies.length + (sent.errors.length ? "; errors: " + sent.errors.join("; ") : "");
    },
    "call-form": async (form) => {
      const made = await post("/__mock__/inbound/call", fields(form));
      const gather = document.querySelector("#gather-form [name=CallSid]");
      gather.value = made.sid;
      return "Calling: " + made.sid;
    },
    "gather-form": async (form) => {
      const data = fields(form);
      const sid = (data.find(([k]) => k === "CallSid") || [null, ""])[1];
      const rest = data.filter(([k]) => k !== "CallSid");
      const done = await post("/__mock__/calls/" + encodeURIComponent(sid) + "/digits", rest);
      return "Answered " + done.sid + "; transcript: " + done.transcript.length + " steps";
    },
    "fail-form": async (form) => {
      const data = Object.fromEntries(fields(form));
      data.error_code = Number(data.error_code);
      const made = await post("/__mock__/messaging/rules", data, true);
      return "Messages to " + made.rule.to + " now end " + made.rule.status + " (" + made.rule.error_code + ")";
    },
    "clock-form": async (form) => {
      const moved = await post("/__mock__/clock/advance", fields(form));
      return "Clock now " + new Date(moved.now * 1000).toISOString();
    },
    "reset-form": async () => {
      await post("/__mock__/reset", []);
      return "Reset: everything forgotten";
    },
  };

  document.querySelectorAll("#phone form").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.id === "reset-form" && !confirm("Forget every message, call and webhook?")) return;
      try {
        say(await actions[form.id](form), false);
      } catch (error) {
        say(error.message, true);
      }
      refresh();
    });
  });

  view.addEventListener("click", (event) => {
    const button = event.target.closest("button.answer");
    if (!button) return;
    const input = document.querySelector("#gather-form [name=CallSid]");
    input.value = button.dataset.callSid;
    document.querySelector("#gather-form [name=Digits]").focus();
  });

  const switcher = document.getElementById("account-switch");
  switcher.addEventListener("change", () => {
    const params = new URLSearchParams();
    params.set("account", switcher.value);
    const path = location.pathname === "/" ? prefix + "/threads" : location.pathname;
    location.assign(path + "?" + params.toString());
  });

  connect();
})();
