/* The release's tags as chips, typed from the keyboard (issue 16).

   The form's own field (taggit's comma-separated text, name="tags") becomes
   hidden and holds the chips' names; a box beside them takes typing. Tags in
   use are suggested as one types (the tag admin's suggest view), the first
   highlighted: Enter or a comma accepts the highlighted one, or the text as
   typed when nothing is suggested or the list was closed with Escape.
   Arrow keys move through the list; Backspace in the empty box removes the
   last chip; each chip has its remove button. Enter never submits the
   release, and text left in the box is not a tag until accepted. */
'use strict';
{
    const PAUSE = 150;

    /* Taggit's syntax: names separated by commas, a name with a comma or a
       space in double quotes. */
    function parse(value) {
        const names = [];
        let current = '', quoted = false;
        for (const letter of value) {
            if (letter === '"') {
                quoted = !quoted;
            } else if (letter === ',' && !quoted) {
                names.push(current);
                current = '';
            } else {
                current += letter;
            }
        }
        names.push(current);
        return names.map((name) => name.trim()).filter(Boolean);
    }

    function serialize(names) {
        return names.map((name) => (/[\s,]/.test(name) ? `"${name.replace(/"/g, '')}"` : name)).join(', ');
    }

    function attach(field) {
        const editor = document.createElement('div');
        editor.className = 'tag-editor';
        const chips = document.createElement('ul');
        chips.className = 'tag-chips';
        chips.setAttribute('aria-label', field.dataset.chipsLabel);
        const box = document.createElement('input');
        box.type = 'text';
        box.id = `${field.id}_entry`;
        box.className = 'tag-entry';
        box.autocomplete = 'off';
        box.spellcheck = true;
        box.setAttribute('role', 'combobox');
        box.setAttribute('aria-autocomplete', 'list');
        box.setAttribute('aria-expanded', 'false');
        const list = document.createElement('ul');
        list.id = `${field.id}_suggestions`;
        list.className = 'tag-suggestions';
        list.setAttribute('role', 'listbox');
        list.setAttribute('aria-label', field.dataset.suggestionsLabel);
        list.hidden = true;
        box.setAttribute('aria-controls', list.id);
        const pending = document.createElement('p');
        pending.className = 'help tag-pending';
        pending.id = `${field.id}_pending`;
        pending.setAttribute('aria-live', 'polite');
        box.setAttribute('aria-describedby', [field.getAttribute('aria-describedby'), pending.id].filter(Boolean).join(' '));
        editor.append(chips, box, list, pending);
        field.after(editor);
        field.type = 'hidden';
        document.querySelector(`label[for="${field.id}"]`)?.setAttribute('for', box.id);

        let names = parse(field.value);
        let suggestions = [];
        let highlighted = -1;
        let timer, asked = 0;

        function changed() {
            field.value = serialize(names);
            field.dispatchEvent(new Event('input', {bubbles: true}));
            drawChips();
        }

        function drawChips() {
            chips.replaceChildren(...names.map((name) => {
                const chip = document.createElement('li');
                chip.className = 'tag-chip';
                const label = document.createElement('span');
                label.textContent = name;
                const remove = document.createElement('button');
                remove.type = 'button';
                remove.textContent = '×';
                remove.setAttribute('aria-label', field.dataset.removeLabel.replace('__TAG__', name));
                remove.addEventListener('click', () => {
                    names = names.filter((other) => other !== name);
                    changed();
                    box.focus();
                });
                chip.append(label, remove);
                return chip;
            }));
        }

        function drawList() {
            list.replaceChildren(...suggestions.map((name, index) => {
                const option = document.createElement('li');
                option.id = `${list.id}-${index}`;
                option.setAttribute('role', 'option');
                option.setAttribute('aria-selected', String(index === highlighted));
                option.textContent = name;
                option.addEventListener('mousedown', (event) => event.preventDefault());
                option.addEventListener('click', () => accept(name));
                return option;
            }));
            list.hidden = suggestions.length === 0;
            box.setAttribute('aria-expanded', String(!list.hidden));
            if (highlighted >= 0) {
                box.setAttribute('aria-activedescendant', `${list.id}-${highlighted}`);
            } else {
                box.removeAttribute('aria-activedescendant');
            }
        }

        function showPending() {
            const text = box.value.trim();
            pending.textContent = text ? field.dataset.pendingLabel.replace('__TAG__', text) : '';
        }

        function close() {
            suggestions = [];
            highlighted = -1;
            drawList();
        }

        function accept(name) {
            name = name.replace(/"/g, '').trim();
            if (name && !names.some((other) => other.toLowerCase() === name.toLowerCase())) {
                names.push(name);
                changed();
            }
            box.value = '';
            showPending();
            close();
            box.focus();
        }

        async function suggest() {
            const term = box.value.trim();
            const ask = ++asked;
            if (!term) {
                close();
                return;
            }
            const response = await fetch(`${field.dataset.suggestUrl}?term=${encodeURIComponent(term)}`, {
                credentials: 'same-origin',
            });
            if (!response.ok || ask !== asked) {
                return;
            }
            const chosen = new Set(names.map((name) => name.toLowerCase()));
            suggestions = (await response.json()).tags.filter((name) => !chosen.has(name.toLowerCase()));
            highlighted = suggestions.length ? 0 : -1;
            drawList();
        }

        box.addEventListener('input', (event) => {
            event.stopPropagation(); // the typing box is not the form's: the tags change on accepting
            showPending();
            clearTimeout(timer);
            timer = setTimeout(suggest, PAUSE);
        });
        box.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ',') {
                event.preventDefault();
                accept(highlighted >= 0 ? suggestions[highlighted] : box.value);
            } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                if (suggestions.length) {
                    event.preventDefault();
                    const step = event.key === 'ArrowDown' ? 1 : -1;
                    highlighted = (highlighted + step + suggestions.length) % suggestions.length;
                    drawList();
                }
            } else if (event.key === 'Escape' && !list.hidden) {
                event.preventDefault();
                close();
            } else if (event.key === 'Backspace' && !box.value && names.length) {
                names.pop();
                changed();
            }
        });
        box.addEventListener('blur', () => setTimeout(close, 100));
        field.addEventListener('tags:changed', () => {
            names = parse(field.value);
            drawChips();
        });
        drawChips();
    }

    window.addEventListener('load', () => {
        document.querySelectorAll('input[data-suggest-url]').forEach(attach);
    });
}
