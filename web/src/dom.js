// A tiny element builder: text always goes in as text, never as HTML.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    // Through the CSSOM: the page's CSP allows no inline style attributes.
    else if (name === "style") element.style.cssText = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function replace(target, ...children) {
  target.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}

// What the user has typed or chosen in `root`'s fields, to put back after a re-render (a
// live event redraws the page; a half-written advice must survive it).
export function typed(root) {
  const kept = {};
  for (const field of root.querySelectorAll("textarea[id], input[type=text][id]")) {
    if (field.value) kept[field.id] = field.value;
  }
  for (const radio of root.querySelectorAll("form input[type=radio]:checked")) {
    kept[`radio:${radio.name}`] = radio.value;
  }
  return kept;
}

export function restore(root, kept) {
  for (const [key, value] of Object.entries(kept)) {
    if (key.startsWith("radio:")) {
      const name = CSS.escape(key.slice("radio:".length));
      const radio = root.querySelector(`input[type=radio][name="${name}"][value="${CSS.escape(value)}"]`);
      if (radio) radio.checked = true;
    } else {
      const field = root.querySelector(`#${CSS.escape(key)}`);
      if (field) field.value = value;
    }
  }
}
