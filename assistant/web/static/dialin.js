// Dialin's web page: renders the call's turns and sends the caller's answers.
// The session runs on the server; this script only shows what it is told (an assistant
// turn becomes one entry in the live log, announced once) and keeps the settings the
// caller chose (theme, caption size, time to answer) in this browser.
"use strict";

const $ = (id) => document.getElementById(id);
const page = {
  socket: null, labels: {}, lang: document.documentElement.lang, expect: null,
  deadline: 0, ticker: 0, ended: false,
  settings: { theme: "default", captions: "normal", timeouts: "1" },
};

function label(key, params = {}) {
  const text = page.labels[key] || "";
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? params[name] : ""));
}

function applyLabels() {
  for (const element of document.querySelectorAll("[data-label]")) {
    const key = element.dataset.label;
    if (!(key in page.labels)) continue;
    const text = element.classList.contains("visually-hidden") ? " " + label(key) : label(key);
    if (element.textContent !== text) element.textContent = text;
  }
  document.title = label("title") || document.title;
}

function setLang(lang) {
  if (!lang || lang === page.lang) return;
  page.lang = lang;
  document.documentElement.lang = lang;
}

function logEntry(kind, who, parts) {
  const item = document.createElement("li");
  item.className = kind;
  const name = document.createElement("span");
  name.className = "who";
  name.textContent = who + ": ";
  item.append(name);
  for (const part of parts) {
    const line = document.createElement("p");
    line.lang = part.lang || page.lang;
    line.textContent = part.text;
    item.append(line);
  }
  $("log").append(item);
  item.scrollIntoView({ block: "nearest" });
}

function showCaptions(assistant, caller) {
  if (assistant !== null) $("caption-assistant").textContent = label("assistant") + ": " + assistant;
  if (caller !== null) $("caption-caller").textContent = label("you") + ": " + caller;
}

function setStatus(key, params) {
  const status = $("status");
  status.dataset.label = key;
  status.textContent = label(key, params);
}

function renderOptions(expect) {
  const list = $("option-list");
  list.replaceChildren();
  const options = (expect && expect.options) || [];
  for (const option of options) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.key = option.key;
    const key = document.createElement("kbd");
    key.textContent = option.key;
    button.append(key, document.createTextNode(option.label));
    item.append(button);
    list.append(item);
  }
  $("options").hidden = options.length === 0;
}

function renderAnswer(expect) {
  const input = $("answer");
  const secret = Boolean(expect && expect.secret);
  input.type = secret ? "password" : "text";
  input.inputMode = expect && expect.numeric ? "numeric" : "text";
  const hint = secret ? "web_answer_hint_secret"
    : expect && expect.numeric ? "web_answer_hint_digits" : "web_answer_hint_text";
  $("answer-hint").dataset.label = hint;
  $("answer-hint").textContent = label(hint);
}

function renderEntry(pending) {
  $("entry").textContent = pending ? label("web_entry", { entry: pending }) : "";
}

// ------------------------------------------------------------------ time to answer

function startTimer() {
  clearInterval(page.ticker);
  const scale = Number(page.settings.timeouts);
  const seconds = page.expect ? page.expect.timeout_s * scale : 0;
  if (!page.expect || page.ended || seconds <= 0) {
    page.deadline = 0;
    $("timer").textContent = page.ended ? "" : label("time_no_limit");
    return;
  }
  page.deadline = Date.now() + seconds * 1000;
  tick();
  page.ticker = setInterval(tick, 1000);
}

function tick() {
  const left = Math.max(0, Math.ceil((page.deadline - Date.now()) / 1000));
  $("timer").textContent = label("time_left", { seconds: left });
  if (left === 0) {
    clearInterval(page.ticker);
    send({ type: "timeout" });
  }
}

// ------------------------------------------------------------------ the call

function onTurn(message) {
  page.labels = message.labels;
  setLang(message.lang);
  applyLabels();
  if (message.caller !== null) {
    logEntry("caller", label("you"), [{ text: message.caller, lang: message.lang }]);
    showCaptions(null, message.caller);
  }
  if (message.prompts.length) {
    logEntry("assistant", label("assistant"), message.prompts);
    showCaptions(message.prompts.map((p) => p.text).join(" "), null);
  }
  if (message.transfer) {
    logEntry("notice", label("notice"),
      [{ text: label("transferred", { reference: message.transfer.reference }) }]);
  }
  renderEntry(message.pending);
  if (message.prompts.length || message.ended) {
    page.expect = message.expect;
    renderOptions(page.expect);
    renderAnswer(page.expect);
    startTimer();
  }
  if (message.ended) endCall("talk_ended");
  else setStatus("talk_your_turn");
}

function onNotice(message) {
  page.labels = message.labels;
  applyLabels();
  logEntry("notice", label("notice"), [{ text: message.text }]);
  if (message.key === "web_busy") endCall("web_busy");
}

function endCall(statusKey) {
  page.ended = true;
  page.expect = null;
  clearInterval(page.ticker);
  $("timer").textContent = "";
  renderOptions(null);
  setStatus(statusKey);
  for (const control of document.querySelectorAll(".answer form input, .answer form button, .keys button, .commands button")) {
    if (control.id !== "open-settings") control.disabled = true;
  }
  $("new-call-row").hidden = false;
}

function send(message) {
  if (page.socket && page.socket.readyState === WebSocket.OPEN && !page.ended) {
    page.socket.send(JSON.stringify(message));
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const lang = new URLSearchParams(location.search).get("lang");
  const url = `${scheme}://${location.host}/ws` + (lang ? `?lang=${encodeURIComponent(lang)}` : "");
  page.socket = new WebSocket(url);
  page.socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "turn") onTurn(message);
    else if (message.type === "notice") onNotice(message);
  });
  page.socket.addEventListener("close", () => {
    if (!page.ended) {
      logEntry("notice", label("notice"), [{ text: label("web_disconnected") }]);
      endCall("web_disconnected");
    }
  });
}

// ------------------------------------------------------------------ settings

function loadSettings() {
  try {
    Object.assign(page.settings, JSON.parse(localStorage.getItem("dialin.settings") || "{}"));
  } catch (error) { /* unreadable settings: keep the defaults */ }
  applySettings();
}

function applySettings() {
  const names = ["default", "high-contrast", "colour-blind"];
  const theme = names.includes(page.settings.theme) ? page.settings.theme : "default";
  $("theme").href = `/themes/${theme}.css`;
  document.body.classList.toggle("large-captions", page.settings.captions === "large");
}

function openSettings() {
  const form = $("settings-form");
  for (const name of ["theme", "captions", "timeouts"]) {
    for (const input of form.elements[name]) input.checked = input.value === String(page.settings[name]);
  }
  $("settings").showModal();
}

function closeSettings(save) {
  if (save) {
    const form = $("settings-form");
    for (const name of ["theme", "captions", "timeouts"]) page.settings[name] = form.elements[name].value;
    try { localStorage.setItem("dialin.settings", JSON.stringify(page.settings)); } catch (error) { /* private mode */ }
    applySettings();
    startTimer();
  }
  $("settings").close();
  $("open-settings").focus();
}

// ------------------------------------------------------------------ controls

function wire() {
  document.querySelector(".skip").addEventListener("click", (event) => {
    event.preventDefault();
    $("answer").focus();
  });
  $("answer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("answer");
    send({ type: "line", value: input.value });
    input.value = "";
    input.focus();
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    if (button.dataset.key) send({ type: "keys", value: button.dataset.key });
    else if (button.dataset.command) send({ type: "command", value: button.dataset.command });
  });
  $("more-time").addEventListener("click", startTimer);
  $("open-settings").addEventListener("click", openSettings);
  $("settings-form").addEventListener("submit", (event) => {
    event.preventDefault();
    closeSettings(event.submitter && event.submitter.value === "save");
  });
  $("new-call").addEventListener("click", () => location.reload());
  $("answer").addEventListener("input", () => { if (page.deadline) startTimer(); });
}

wire();
loadSettings();
connect();
