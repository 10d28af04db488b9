/* Votes from a phone on the venue's Wi-Fi (issue 19). htmx sends a vote in place; when the
   network fails, the vote is kept in this page, the page says so, and it is sent again as soon
   as the phone is back online (or every 10 seconds): nothing tapped is lost. A vote refused by
   the server (400) shows its reason in place; a busy site (429, 5xx) says to try again. The
   server keeps the latest vote of each statement, so a vote sent twice counts once. Without
   JavaScript the forms post as usual. */
(function () {
  "use strict";

  const pending = [];
  const status = () => document.getElementById("vote-status");
  const say = (key) => {
    const node = status();
    if (node) node.textContent = key ? node.dataset[key] : "";
  };
  const isVote = (element) => element && element.matches && element.matches("form.vote-form");

  function sendWaiting() {
    if (!pending.length || !navigator.onLine) return;
    const vote = pending.shift();
    window.htmx.ajax("POST", vote.url, {
      values: vote.values,
      target: "#voting",
      select: "#voting",
      swap: "outerHTML",
    });
  }

  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt;
    if (!isVote(form)) return;
    const submitter = event.detail.requestConfig.triggeringEvent?.submitter;
    pending.push({ url: form.action, values: Object.fromEntries(new FormData(form, submitter)) });
    say("waiting");
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!isVote(event.detail.elt) && !event.detail.requestConfig?.values?.statement) return;
    const code = event.detail.xhr.status;
    if (code === 400) {
      event.detail.shouldSwap = true; // the page with its error summary, in place
      event.detail.isError = false;
    } else if (code === 429 || code >= 500) {
      say("busy");
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "voting") {
      say(pending.length ? "waiting" : "");
      sendWaiting();
    }
  });

  window.addEventListener("online", sendWaiting);
  window.setInterval(sendWaiting, 10000);
})();
