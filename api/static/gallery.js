// The gallery's behaviour: copy buttons, and the URL builder made from the app's OpenAPI spec.
// Plain JavaScript served by the app: no build step, no library, nothing from another host.
"use strict";

const IMAGE_TAGS = ["Charts", "Maps"];
const TYPING_DELAY_MS = 350;
// Shown with the examples even without one: every image has a size and a format.
const ALWAYS_SHOWN = ["size", "width", "height", "scale", "format"];

function absoluteUrl(text) {
  return new URL(text, window.location.href).href;
}

// The API's own separators read better unescaped, and servers take them as they are.
function encodeValue(value) {
  return encodeURIComponent(value)
    .replace(/%2C/gi, ",")
    .replace(/%7C/gi, "|")
    .replace(/%3A/gi, ":")
    .replace(/%20/g, "+");
}

// Swagger UI's deep link to an operation without an operationId (see api/gallery.py).
function docsAnchor(path, tag) {
  return "/docs#/" + tag + "/get" + path.replace(/[^\w]/g, "_");
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      // Permission refused: fall back to a selection below.
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch (error) {
    copied = false;
  }
  area.remove();
  return copied;
}

function selectContents(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function setUpCopyButtons() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button.copy");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const copied = await copyText(absoluteUrl(source.textContent.trim()));
    const label = button.firstChild;
    label.textContent = copied ? "Copied" : "Selected";
    button.classList.toggle("copied", copied);
    if (!copied) selectContents(source);
    window.setTimeout(() => {
      label.textContent = "Copy";
      button.classList.remove("copied");
    }, 1600);
  });
}

// -- URL builder -------------------------------------------------------------------

const builder = {
  operations: [],
  current: null,
  sequence: 0,
  objectUrl: null,
  timer: null,
};

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function exampleOf(param) {
  const schema = param.schema || {};
  if (param.example !== undefined) return param.example;
  return schema.example;
}

function isRepeated(param) {
  return (param.schema || {}).type === "array" && param.explode !== false;
}

function controlFor(param, id) {
  const schema = param.schema || {};
  const example = exampleOf(param);
  const hasDefault = schema.default !== undefined;
  const choices = schema.enum || (schema.type === "boolean" ? ["true", "false"] : null);
  let control;
  if (choices) {
    control = element("select", { id: id });
    control.append(element("option", { value: "" }, hasDefault ? "default (" + schema.default + ")" : "(none)"));
    for (const choice of choices) control.append(element("option", { value: String(choice) }, String(choice)));
    if (example !== undefined) control.value = String(example);
  } else if (isRepeated(param)) {
    control = element("textarea", { id: id, rows: "3", spellcheck: "false" });
    control.value = Array.isArray(example) ? example.join("\n") : example === undefined ? "" : String(example);
    control.dataset.repeated = "1";
  } else {
    control = element("input", { id: id, type: "text", spellcheck: "false", autocomplete: "off" });
    if (schema.type === "integer" || schema.type === "number") control.setAttribute("inputmode", "decimal");
    control.value = Array.isArray(example) ? example.join(",") : example === undefined ? "" : String(example);
    if (hasDefault) control.placeholder = "default: " + schema.default;
  }
  control.dataset.param = param.name;
  control.setAttribute("aria-describedby", id + "-error " + id + "-hint");
  if (param.required) control.setAttribute("aria-required", "true");
  return control;
}

function fieldFor(param) {
  const id = "field-" + param.name;
  const wrapper = element("div", { class: "field" });
  const label = element("label", { for: id }, param.name);
  if (param.required) label.append(element("span", { class: "required" }, " (required)"));
  const control = controlFor(param, id);
  if (control.tagName === "TEXTAREA" || param.name === "data" || param.name === "text") wrapper.classList.add("wide");
  wrapper.append(label, control, element("p", { class: "error", id: id + "-error" }));
  if (isRepeated(param)) wrapper.append(element("p", { class: "hint" }, "One value per line."));
  wrapper.append(element("p", { class: "hint", id: id + "-hint" }, param.description || ""));
  return wrapper;
}

function renderFields(operation) {
  const container = document.getElementById("builder-fields");
  container.replaceChildren();
  const params = (operation.op.parameters || []).filter((p) => p.in === "query");
  const main = params.filter((p) => p.required || exampleOf(p) !== undefined || ALWAYS_SHOWN.includes(p.name));
  const more = params.filter((p) => !main.includes(p));
  for (const param of main) container.append(fieldFor(param));
  if (more.length) {
    const details = element("details");
    details.append(element("summary", {}, "More parameters (" + more.length + ")"));
    const inner = element("div");
    for (const param of more) inner.append(fieldFor(param));
    details.append(inner);
    container.append(details);
  }
  document.getElementById("builder-docs").href = docsAnchor(operation.path, operation.tag);
}

function builtUrl(operation) {
  const parts = [];
  for (const control of document.querySelectorAll("#builder-fields [data-param]")) {
    const name = control.dataset.param;
    const values = control.dataset.repeated
      ? control.value.split("\n").map((line) => line.trim()).filter(Boolean)
      : [control.value.trim()].filter(Boolean);
    for (const value of values) parts.push(encodeURIComponent(name) + "=" + encodeValue(value));
  }
  return parts.length ? operation.path + "?" + parts.join("&") : operation.path;
}

function clearErrors() {
  for (const node of document.querySelectorAll("#builder-fields .error")) node.textContent = "";
  for (const node of document.querySelectorAll("#builder-fields [aria-invalid]")) node.removeAttribute("aria-invalid");
  document.getElementById("builder-error").textContent = "";
}

// APIFlask's error detail: {"query": {"width": ["message"], "markers": {"0": ["message"]}}}.
function messages(value, prefix) {
  if (Array.isArray(value)) return value.flatMap((item) => messages(item, prefix));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => messages(inner, prefix + (/^\d+$/.test(key) ? "value " + (Number(key) + 1) + ": " : key + ": ")));
  }
  return [prefix + String(value)];
}

function showErrors(status, body) {
  const general = [];
  const detail = (body && body.detail) || {};
  const query = detail.query || {};
  for (const [name, problem] of Object.entries(query)) {
    const target = document.getElementById("field-" + name + "-error");
    const control = document.getElementById("field-" + name);
    if (target && control) {
      target.textContent = messages(problem, "").join(" ");
      control.setAttribute("aria-invalid", "true");
      const details = control.closest("details");
      if (details) details.open = true;
    } else {
      general.push(...messages(problem, name + ": "));
    }
  }
  for (const [location, problem] of Object.entries(detail)) {
    if (location !== "query") general.push(...messages(problem, location + ": "));
  }
  const summary = body && body.message ? status + " " + body.message : "Error " + status;
  document.getElementById("builder-error").textContent = general.length ? summary + ". " + general.join(" ") : "";
  document.getElementById("builder-status").textContent =
    summary + ": the messages are next to " + (Object.keys(query).length ? "the fields named." : "the form.");
}

async function update() {
  const operation = builder.current;
  const url = builtUrl(operation);
  const sequence = ++builder.sequence;
  document.getElementById("builder-url").textContent = url;
  document.getElementById("builder-open").href = url;
  document.getElementById("builder-status").textContent = "Loading…";
  const format = new URL(url, window.location.href).searchParams.get("format");
  const twin = url + (url.includes("?") ? "&" : "?") + "format=txt";
  // Operations whose format takes txt describe their image: that text becomes the alt text.
  const describable = (operation.op.parameters || []).some(
    (p) => p.name === "format" && ((p.schema || {}).enum || []).includes("txt"),
  );
  let response;
  let description = null;
  try {
    const pending = fetch(url, { headers: { Accept: "application/json" } });
    const described =
      format === "txt" || !describable ? null : fetch(twin, { headers: { Accept: "application/json" } });
    response = await pending;
    if (described) {
      const answer = await described;
      description = answer.ok ? await answer.text() : null;
    }
  } catch (error) {
    if (sequence === builder.sequence) document.getElementById("builder-status").textContent = "The server did not answer.";
    return;
  }
  if (sequence !== builder.sequence) return; // a newer edit has taken over
  clearErrors();
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (sequence === builder.sequence) showErrors(response.status, body);
    return;
  }
  const image = document.getElementById("builder-image");
  const text = document.getElementById("builder-text");
  const type = response.headers.get("Content-Type") || "";
  if (type.startsWith("text/plain")) {
    text.textContent = await response.text();
    text.hidden = false;
    image.hidden = true;
  } else {
    const blob = await response.blob();
    if (sequence !== builder.sequence) return;
    if (builder.objectUrl) URL.revokeObjectURL(builder.objectUrl);
    builder.objectUrl = URL.createObjectURL(blob);
    const scale = Number(new URL(url, window.location.href).searchParams.get("scale")) || 1;
    image.onload = () => {
      image.width = Math.round(image.naturalWidth / scale);
      image.height = Math.round(image.naturalHeight / scale);
    };
    image.src = builder.objectUrl;
    image.alt = description || "The image built from the parameters.";
    image.hidden = false;
    text.hidden = true;
  }
  const size = Math.round((Number(response.headers.get("Content-Length")) || 0) / 102.4) / 10;
  document.getElementById("builder-status").textContent =
    response.status + " OK · " + type.split(";")[0] + (size ? " · " + size + " kB" : "");
}

function scheduleUpdate(delay) {
  window.clearTimeout(builder.timer);
  builder.timer = window.setTimeout(update, delay);
}

async function setUpBuilder() {
  const form = document.getElementById("builder-form");
  const select = document.getElementById("builder-operation");
  if (!form || !select) return;
  const spec = await (await fetch("/openapi.json")).json();
  for (const [path, item] of Object.entries(spec.paths)) {
    const tag = ((item.get || {}).tags || []).find((name) => IMAGE_TAGS.includes(name));
    if (tag) builder.operations.push({ path: path, tag: tag, op: item.get });
  }
  const groups = {};
  for (const operation of builder.operations) {
    if (!groups[operation.tag]) {
      groups[operation.tag] = element("optgroup", { label: operation.tag });
      select.append(groups[operation.tag]);
    }
    const label = (operation.op.summary || operation.path) + " — " + operation.path;
    groups[operation.tag].append(element("option", { value: operation.path }, label));
  }
  const choose = (path) => {
    builder.current = builder.operations.find((operation) => operation.path === path) || builder.operations[0];
    select.value = builder.current.path;
    renderFields(builder.current);
    scheduleUpdate(0);
  };
  select.addEventListener("change", () => choose(select.value));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    scheduleUpdate(0);
  });
  form.addEventListener("input", (event) => {
    if (event.target === select) return;
    scheduleUpdate(event.target.tagName === "SELECT" ? 0 : TYPING_DELAY_MS);
  });
  choose("/charts/bar");
}

setUpCopyButtons();
setUpBuilder();
