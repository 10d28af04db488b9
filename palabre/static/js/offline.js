/* Palabre on a staff phone with bad Wi-Fi (ADR 0065).

   On the capture and check-in pages, every note, arrival and walk-in is first written to this
   phone's IndexedDB, shown at once, then sent in the order it was made, each with the key its
   form carries, so a send retried after a lost answer is stored once. Without network the
   entries wait ("3 waiting to be sent") and leave when the network returns; what the server
   refuses is shown with its reasons and kept until the facilitator fixes or deletes it.
   Without JavaScript the forms post as before (online only). */
(function () {
  "use strict";

  const script = document.currentScript;
  const wordsNode = document.getElementById("offline-strings");
  if (!wordsNode || !window.indexedDB) return;
  const words = JSON.parse(wordsNode.textContent);
  const plurals = new Intl.PluralRules(document.documentElement.lang || "fr");
  const plural = (forms, count) =>
    forms[plurals.select(count) === "one" ? "one" : "other"].replace("%(count)s", count);

  if ("serviceWorker" in navigator && script && script.dataset.worker) {
    navigator.serviceWorker.register(script.dataset.worker).catch(() => {});
  }

  /* Storage: one object store, in the order entries were made (auto-incremented ids). */
  const STORE = "entries";
  const DAY_MS = 24 * 60 * 60 * 1000;
  let database = null;
  function open() {
    database =
      database ||
      new Promise((resolve, reject) => {
        const request = indexedDB.open("palabre-offline", 1);
        request.onupgradeneeded = () =>
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    return database;
  }
  async function run(mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }
  // Without IndexedDB (a private window that refuses it), the forms post as without JavaScript.
  let usable = true;
  open().catch(() => {
    usable = false;
  });
  const allEntries = () => run("readonly", (store) => store.getAll());
  const addEntry = (entry) => run("readwrite", (store) => store.add(entry));
  const putEntry = (entry) => run("readwrite", (store) => store.put(entry));
  const deleteEntry = (id) => run("readwrite", (store) => store.delete(id));

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function field(entry, name) {
    const found = entry.fields.find(([key]) => key === name);
    return found ? found[1] : "";
  }

  /* The page: its status line and where each kind of entry shows. */
  const status = document.getElementById("offline-status");
  const renderedAt = status ? Number(status.dataset.renderedAt) : 0;
  const here = location.pathname;
  let state = "";
  let said = ""; // what the server said of the last entry sent from this page ("Counted: Karim")

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function waitingMark() {
    return element("span", "waiting-mark", ` (${words.mark_waiting})`);
  }

  function shown(entry) {
    return document.querySelector(`[data-entry="${entry.id}"]`);
  }

  function showNote(entry) {
    const section = document.getElementById(`question-${field(entry, "question")}`);
    const list = section && section.querySelector("ol.notes");
    if (!list || list.querySelector(`[data-key="${CSS.escape(entry.key)}"]`)) return;
    const item = element("li", "", field(entry, "text"));
    const details = [field(entry, "table_label"), field(entry, "author_name")].filter(Boolean);
    if (details.length) item.append(element("span", "meta", ` · ${details.join(" · ")}`));
    item.dataset.entry = entry.id;
    item.dataset.key = entry.key;
    list.append(item);
    list.hidden = false;
  }

  function showArrival(entry) {
    const item = document.getElementById(`arrival-${field(entry, "registration")}`);
    if (!item) return;
    const present = field(entry, "present") === "yes";
    item.classList.toggle("arrival--here", present);
    for (const form of item.querySelectorAll("form")) {
      const value = form.querySelector('input[name="present"]').value;
      form.hidden = (value === "no") !== present;
    }
    item.dataset.entry = entry.id;
  }

  function showWalkIn(entry) {
    const list = document.querySelector("ul.arrivals");
    if (!list || list.querySelector(`[data-key="${CSS.escape(entry.key)}"]`)) return;
    const item = element("li", "arrival arrival--here");
    const name = element("span", "arrival__name", field(entry, "name") || words.no_name);
    name.append(" ", element("span", "meta", `(${words.walk_in})`));
    item.append(name);
    item.dataset.entry = entry.id;
    item.dataset.key = entry.key;
    list.append(item);
  }

  const SHOW = { note: showNote, arrival: showArrival, "walk-in": showWalkIn };

  function show(entry) {
    if (!shown(entry)) SHOW[entry.kind](entry);
    const node = shown(entry);
    if (!node) return;
    node.classList.toggle("is-waiting", entry.status === "waiting");
    const mark = node.querySelector(".waiting-mark");
    if (entry.status === "waiting" && !mark) node.append(waitingMark());
    if (entry.status !== "waiting" && mark) mark.remove();
  }

  function formFor(entry) {
    if (entry.kind === "note") {
      const section = document.getElementById(`question-${field(entry, "question")}`);
      return section && section.querySelector('form[data-queue="note"]');
    }
    return document.querySelector(`form[data-queue="${entry.kind}"]`);
  }

  function putBack(entry) {
    const form = formFor(entry);
    if (!form) return;
    for (const [name, value] of entry.fields) {
      if (name === "key" || name === "question") continue;
      for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
        if (input.type === "checkbox" || input.type === "radio") input.checked = input.value === value;
        else input.value = value;
      }
    }
    const first = form.querySelector("textarea, input:not([type=hidden])");
    if (first) first.focus();
  }

  function showRefused(entry) {
    const node = shown(entry);
    if (node && entry.kind === "arrival") {
      // The tick shown at once did not happen: the line shows what the server holds again.
      const undone = entry.fields.map(([name, value]) =>
        name === "present" ? [name, value === "yes" ? "no" : "yes"] : [name, value],
      );
      showArrival({ ...entry, fields: undone });
      node.classList.remove("is-waiting");
      node.querySelector(".waiting-mark")?.remove();
    } else if (node) {
      node.remove();
    }
    const list = status && status.querySelector(".offline-status__refused");
    if (!list) return;
    const item = element("li", "notice notice--strong");
    item.dataset.refused = entry.id;
    const what = field(entry, "text") || field(entry, "name") || words.no_name;
    item.append(element("strong", "", words.refused), ` « ${what} » `);
    item.append(element("span", "", entry.errors.join(" ")));
    const buttons = element("p", "offline-status__actions");
    if (entry.kind !== "arrival") {
      const again = element("button", "button button--small", words.put_back);
      again.type = "button";
      again.addEventListener("click", async () => {
        putBack(entry);
        await deleteEntry(entry.id);
        item.remove();
        update();
      });
      buttons.append(again, " ");
    }
    const drop = element("button", "button button--small button--secondary", words.discard);
    drop.type = "button";
    drop.addEventListener("click", async () => {
      await deleteEntry(entry.id);
      item.remove();
      update();
    });
    buttons.append(drop);
    item.append(buttons);
    list.append(item);
    status.hidden = false;
  }

  async function update() {
    if (!status) return;
    const mine = (await allEntries()).filter((entry) => entry.page === here);
    const waiting = mine.filter((entry) => entry.status === "waiting").length;
    const refused = mine.filter((entry) => entry.status === "refused").length;
    status.dataset.waiting = String(waiting);
    const line = status.querySelector(".offline-status__count");
    let text = "";
    if (state === "signed_out") text = words.signed_out;
    else if (waiting) text = plural(words.waiting, waiting) + (state === "offline" ? ` ${words.offline}` : "");
    else if (said) text = said;
    else if (state === "sent") text = words.all_sent;
    if (line.textContent !== text) line.textContent = text;
    status.hidden = !text && !refused;
  }

  /* Sending, one entry at a time, oldest first; any tab of the phone, never two at once. */
  function csrfToken() {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  async function send(entry) {
    const body = new URLSearchParams(entry.fields);
    const token = csrfToken();
    if (token) body.set("csrfmiddlewaretoken", token);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20000);
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Palabre-Queue": "1" },
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (error) {
      return "offline"; // no answer: it may have arrived; its key makes the next try harmless
    } finally {
      clearTimeout(timer);
    }
    if ([401, 403].includes(response.status) || response.type === "opaqueredirect") return "signed_out";
    if (response.status >= 500 || response.status === 429) return "offline";
    let reply = null;
    try {
      reply = await response.json();
    } catch (error) {
      reply = null;
    }
    if (response.ok && reply && reply.ok) {
      entry.status = "sent";
      entry.at = reply.at;
      await putEntry(entry);
      if (entry.page === here) {
        said = reply.message || "";
        show(entry);
        const figures = document.getElementById("figures");
        if (figures && reply.figures) figures.innerHTML = reply.figures;
      }
      return "sent";
    }
    entry.status = "refused";
    entry.errors = reply && reply.errors && reply.errors.length ? reply.errors : [words.gone];
    await putEntry(entry);
    if (entry.page === here) showRefused(entry);
    return "sent";
  }

  async function sendAll() {
    for (;;) {
      const next = (await allEntries()).find((entry) => entry.status === "waiting");
      if (!next) return "sent";
      const outcome = await send(next);
      if (outcome !== "sent") return outcome;
      await update();
    }
  }

  let sending = null;
  function flush() {
    if (sending) return sending;
    const work = navigator.locks ? () => navigator.locks.request("palabre-offline", sendAll) : sendAll;
    sending = work()
      .then((outcome) => {
        state = outcome;
      })
      .catch(() => {
        state = "offline";
      })
      .then(() => {
        sending = null;
        return update();
      });
    return sending;
  }

  /* Entries made on this page. */
  function clear(form, kind) {
    if (kind === "arrival") return;
    const table = form.querySelector('[name="table_label"]');
    const keptTable = table ? table.value : "";
    form.reset();
    if (table) table.value = keptTable; // the same table speaks again, most of the time
    for (const input of form.querySelectorAll('textarea, input[type="text"], input[type="email"]')) {
      if (input !== table) input.value = "";
    }
    form.querySelector('[name="key"]').value = newKey();
    const first = form.querySelector("textarea, input:not([type=hidden])");
    if (first) first.focus();
  }

  async function queue(form, kind) {
    // Read and cleared at once, before anything waits: the next entry may be typed already.
    const fields = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    }
    clear(form, kind);
    said = "";
    const entry = { page: here, kind, url: form.action, fields, status: "waiting", made: Date.now() };
    entry.key = field(entry, "key");
    entry.id = await addEntry(entry);
    show(entry);
    if (kind === "arrival") {
      const other = [...form.parentElement.querySelectorAll("form")].find((each) => !each.hidden);
      if (other) other.querySelector("button").focus();
    }
    if (!navigator.onLine) state = "offline";
    await update();
    flush();
  }

  function searchHere(form) {
    const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
    const wanted = fold(form.querySelector('input[type="search"]').value.trim());
    let found = 0;
    for (const item of document.querySelectorAll("ul.arrivals > li.arrival")) {
      const name = item.querySelector(".arrival__name");
      item.hidden = Boolean(wanted) && !fold(name ? name.textContent : "").includes(wanted);
      if (!item.hidden) found += 1;
    }
    let none = document.getElementById("offline-no-match");
    if (!none) {
      none = element("p", "", words.no_match);
      none.id = "offline-no-match";
      document.querySelector("ul.arrivals").before(none);
    }
    none.hidden = found > 0;
  }

  async function signOut(form) {
    const unsent = (await allEntries()).filter((entry) => entry.status !== "sent").length;
    if (!unsent || window.confirm(plural(words.sign_out, unsent))) form.submit();
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (form.matches("[data-sign-out]")) {
        event.preventDefault(); // until the phone has said whether it holds unsent entries
        signOut(form);
      } else if (form.matches("[data-offline-search]") && !navigator.onLine) {
        event.preventDefault();
        searchHere(form);
      } else if (status && usable && form.dataset.queue) {
        event.preventDefault();
        event.stopImmediatePropagation();
        queue(form, form.dataset.queue);
      }
    },
    true,
  );

  /* On opening: what this phone holds for this page, then send what waits. */
  async function start() {
    for (const entry of await allEntries()) {
      const old = Date.now() - entry.made > DAY_MS;
      if (entry.status === "sent" && (old || (entry.page === here && entry.at <= renderedAt))) {
        await deleteEntry(entry.id); // the server's page shows it now
      } else if (entry.page === here && status) {
        if (entry.status === "refused") showRefused(entry);
        else show(entry);
      }
    }
    if (!navigator.onLine) state = "offline";
    await update();
    flush();
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", () => {
    state = "offline";
    update();
  });
  setInterval(flush, 15000);

  // "My workshops" keeps tonight's screens for use without network: the worker fetches them
  // itself, in this page's language (the page may load before the worker answers for it).
  const tonight = [...document.querySelectorAll("a[data-offline-warm]")].map((link) => link.href);
  if ("serviceWorker" in navigator && tonight.length) {
    navigator.serviceWorker.ready.then((registration) => {
      const language = document.documentElement.lang;
      if (registration.active) registration.active.postMessage({ keep: tonight, language });
    });
  }

  start().catch(() => {}); // no IndexedDB: nothing was kept, the forms post as they are
})();
