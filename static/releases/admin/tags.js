/* Suggest existing tags while press staff type in a release's tag field.
   The suggestions go into a <datalist>, each one the whole field value with
   the tag being typed completed, so the browser's own list does the rest. */
'use strict';
{
    function quoted(name) {
        return /[\s,]/.test(name) ? `"${name.replace(/"/g, '')}"` : name;
    }

    function attach(input) {
        const list = document.createElement('datalist');
        list.id = `${input.id}-suggestions`;
        input.after(list);
        input.setAttribute('list', list.id);
        input.setAttribute('autocomplete', 'off');
        let pending;

        input.addEventListener('input', () => {
            clearTimeout(pending);
            const value = input.value;
            const cut = value.lastIndexOf(',') + 1;
            const term = value.slice(cut).replace(/^[\s"]+/, '');
            if (!term) {
                list.replaceChildren();
                return;
            }
            pending = setTimeout(async () => {
                const url = `${input.dataset.suggestUrl}?term=${encodeURIComponent(term)}`;
                const response = await fetch(url, {credentials: 'same-origin'});
                if (!response.ok) {
                    return;
                }
                const {tags} = await response.json();
                const before = value.slice(0, cut).trim();
                list.replaceChildren(...tags.map((name) => {
                    const option = document.createElement('option');
                    option.value = `${before ? before + ' ' : ''}${quoted(name)}, `;
                    return option;
                }));
            }, 150);
        });
    }

    window.addEventListener('load', () => {
        document.querySelectorAll('input[data-suggest-url]').forEach(attach);
    });
}
