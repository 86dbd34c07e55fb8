"""What the hostile-input, XSS and fuzz tests share: the payloads, the check
that a page runs none of them, and a browser's way of posting an admin form."""

import html5lib

# Each tries to break out of where the site puts text: an element, a quoted
# attribute, a <script> (the JSON-LD), a URL attribute, a template.
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
HANDLER = "\"onmouseover=alert(1) x='"
URL = "javascript:alert(1)"
CLOSE_SCRIPT = "</script><script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}{% debug %}"
PAYLOADS = [SCRIPT, IMAGE, HANDLER, URL, CLOSE_SCRIPT, TEMPLATE]
# All of them at once, for a field that holds 150 characters or more.
ALL = "".join(PAYLOADS)
# What fits in a field of 100 characters (tag names, cities).
SHORT = IMAGE + SCRIPT + "{{ 7*7 }}"
# Proof that a page shows a payload as text: Django never renders data as a
# template, or this would be "49" or an error.
SHOWN = "{{ 7*7 }}"

# Script elements that hold data, not code (JSON-LD, json_script).
DATA_SCRIPTS = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}


def parse(content):
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    return html5lib.parse(content, namespaceHTMLElements=False)


def live_payloads(content):
    """What in the HTML `content` a payload would have made live: script
    elements that would run one, event handler attributes, javascript: URLs,
    the injected image, a rendered template. Empty when every payload is
    inert text."""
    found = []
    for element in parse(content).iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            name = name.lower() if isinstance(name, str) else str(name)
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}=...>")
            if name in URL_ATTRIBUTES and value.strip().lower().replace("\t", "").startswith("javascript:"):
                found.append(f"<{element.tag} {name}={value!r}>")
        if element.tag == "img" and element.get("src") == "x":
            found.append("<img src=x>")
        code = element.tag == "script" and element.get("type", "").lower() not in DATA_SCRIPTS
        if code and "alert(" in (element.text or ""):
            found.append(f"<script>{element.text}</script>")
    # The same, in the source: a parser could read what a browser runs
    # otherwise. (An attribute's quotes are checked by the parse above: the
    # JSON-LD rightly leaves a ' as it is.)
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    found.extend(raw for raw in ("<script>alert(1)", "<img src=x") if raw in text)
    return found


def assert_inert(response, where=""):
    live = live_payloads(response.content)
    assert not live, f"{where or response.wsgi_request.get_full_path()}: {live}"


def _form(response, form_id):
    """The page's POST form with `form_id`; else its largest (not the
    admin's log-out form)."""
    forms = [form for form in parse(response.content).iter("form") if form.get("method", "").lower() == "post"]
    if form_id is not None:
        return next(form for form in forms if form.get("id") == form_id)
    return max(forms, key=lambda form: sum(1 for element in form.iter() if element.get("name")))


def _is_text(element):
    if element.tag == "textarea":
        return True
    classes = element.get("class", "")
    return (
        element.tag == "input"
        and element.get("type", "text").lower() == "text"
        and not element.get("name").endswith("slug")
        and not any(kind in classes for kind in ("vDateField", "vTimeField", "vForeignKeyRawIdAdminField"))
    )


def _controls(response, form_id):
    """{name: ([values], whether a person types words in it)} of what a
    browser posts from the form. An inline with no row gets one, from its
    empty template, so that its fields are there too."""
    controls = {}
    for element in _form(response, form_id).iter():
        name = element.get("name") if isinstance(element.tag, str) else None
        if not name:
            continue
        values = controls.setdefault(name, ([], _is_text(element)))[0]
        if element.tag == "input":
            kind = element.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                del controls[name]
                continue
            if kind in ("checkbox", "radio") and element.get("checked") is None:
                continue
            values.append(element.get("value", "on" if kind == "checkbox" else ""))
        elif element.tag == "textarea":
            values.append(element.text or "")
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [option for option in options if option.get("selected") is not None]
            if not chosen and options and element.get("multiple") is None:
                chosen = options[:1]
            values.extend(option.get("value", option.text or "") for option in chosen)
    for total in [name for name in controls if name.endswith("-TOTAL_FORMS")]:
        prefix = total.removesuffix("-TOTAL_FORMS")
        if controls[total][0] == ["0"]:
            controls[total] = (["1"], False)
            for name in [name for name in controls if name.startswith(f"{prefix}-__prefix__-")]:
                controls[name.replace("__prefix__", "0", 1)] = (list(controls[name][0]), controls[name][1])
    return controls


def form_data(response, form_id=None):
    """What a browser posts from the page's form, as {name: [values]}: text
    inputs, hidden inputs, checked boxes, selected options, text areas; an
    inline with no row gets one, empty."""
    return {name: values for name, (values, _text) in _controls(response, form_id).items()}


def text_inputs(response, form_id=None):
    """The names of the text boxes and text areas of the page's form where a
    person types words (not slugs, dates, times, numbers, e-mail addresses,
    hidden fields, nor the empty templates of inline rows), inline rows
    included."""
    return [name for name, (_values, text) in _controls(response, form_id).items() if text and "__prefix__" not in name]
