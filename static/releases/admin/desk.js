/* The writing desk of the release form (issue 16): nothing typed is lost,
   the workflow's buttons ask for what their step needs, and the form says
   how the release stands (words, reading time, the checklist).

   - Unsaved changes: a warning on leaving (the browser's own on closing or
     reloading; a dialog of ours on the admin's links), and a copy kept in
     localStorage under a key for this user and release, offered back when
     the form opens again (after a closed tab, a crash, an expired session).
     A save that succeeded names its key in a cookie, and the copy goes.
   - Ctrl+S (Cmd+S) saves, keeping the status.
   - Send back, Schedule and Withdraw open a dialog asking for their text or
     time; Submit for review shows what the checklist misses first. */
'use strict';
{
    const SAVED_COOKIE = 'pressroom_saved_draft';
    const SKIPPED = new Set(['csrfmiddlewaretoken', 'known_version', 'step', 'status', '_continue']);
    const WORDS_PER_MINUTE = 200;
    const TITLE_LIMIT = 110;

    let form, banner, editor;
    let initial = null;
    let leaving = false;

    function fields() {
        return Array.from(form.elements).filter((field) => field.name && !SKIPPED.has(field.name)
            && !['file', 'submit', 'button', 'hidden'].includes(field.type)
            && !field.closest('.empty-form'));
    }

    /* The form's values by name (the tags' and body's hidden fields too). */
    function snapshot() {
        const values = {};
        for (const field of fields()) {
            if (field.type === 'checkbox') {
                values[field.name] = field.checked;
            } else if (field.type === 'radio') {
                if (field.checked) values[field.name] = field.value;
            } else if (field.tagName === 'SELECT') {
                values[field.name] = Array.from(field.selectedOptions).map((option) => [option.value, option.text]);
            } else {
                values[field.name] = field.value;
            }
        }
        const tags = form.querySelector('#id_tags');
        if (tags) {
            values.tags = tags.value;
        }
        return values;
    }

    /* By name, whatever the order: the asking dialogs move fields in the form. */
    function same(a, b) {
        const sorted = (values) => JSON.stringify(Object.keys(values).sort().map((name) => [name, values[name]]));
        return sorted(a) === sorted(b);
    }

    function isDirty() {
        return initial !== null && !same(snapshot(), initial);
    }

    function restore(values) {
        for (const [name, value] of Object.entries(values)) {
            for (const field of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
                if (field.type === 'checkbox') {
                    field.checked = value;
                } else if (field.type === 'radio') {
                    field.checked = field.value === value;
                } else if (field.tagName === 'SELECT') {
                    for (const [optionValue, text] of value) {
                        if (!Array.from(field.options).some((option) => option.value === optionValue)) {
                            field.add(new Option(text, optionValue));
                        }
                    }
                    const chosen = new Set(value.map(([optionValue]) => optionValue));
                    Array.from(field.options).forEach((option) => { option.selected = chosen.has(option.value); });
                    if (window.django && window.django.jQuery) {
                        window.django.jQuery(field).trigger('change');
                    }
                } else if (field.type !== 'file') {
                    field.value = value;
                }
                field.dispatchEvent(new Event('input', {bubbles: true}));
            }
        }
        if (editor && typeof values.body === 'string') {
            editor.commands.setContent(values.body, true);
        }
        form.querySelector('#id_tags')?.dispatchEvent(new CustomEvent('tags:changed'));
    }

    /* Autosave */

    function readKept(key) {
        try {
            return JSON.parse(localStorage.getItem(key));
        } catch (error) {
            return null;
        }
    }

    function forgetSaved() {
        const cookie = document.cookie.split('; ').find((pair) => pair.startsWith(`${SAVED_COOKIE}=`));
        if (!cookie) {
            return;
        }
        localStorage.removeItem(decodeURIComponent(cookie.slice(SAVED_COOKIE.length + 1)));
        document.cookie = `${SAVED_COOKIE}=; max-age=0; path=/admin/; samesite=lax`;
    }

    function keep() {
        const key = banner.dataset.draftKey;
        if (initial === null || !banner.hidden) {
            return; // not ready, or a kept copy is still on offer: never overwrite it
        }
        const status = form.querySelector('[data-autosave-status]');
        if (!isDirty()) {
            localStorage.removeItem(key);
            if (status) status.textContent = '';
            return;
        }
        const kept = {
            values: snapshot(),
            savedAt: new Date().toISOString(),
            version: Number(banner.dataset.version),
            lastEditor: banner.dataset.lastEditor,
        };
        try {
            localStorage.setItem(key, JSON.stringify(kept));
            if (status) status.textContent = status.dataset.label;
        } catch (error) {
            // Storage full or disabled: the leave warning still guards the work.
        }
    }

    function offerKept() {
        const key = banner.dataset.draftKey;
        const kept = readKept(key);
        if (!kept || !kept.values) {
            return;
        }
        const version = Number(banner.dataset.version);
        // A copy of an older version is work lost only if someone else saved
        // since; if this user saved it, the copy went into that save.
        const overtaken = kept.version !== version && banner.dataset.lastEditor === banner.dataset.user;
        if (overtaken || same(kept.values, initial)) {
            localStorage.removeItem(key);
            return;
        }
        const time = banner.querySelector('[data-autosave-time]');
        const savedAt = new Date(kept.savedAt);
        time.dateTime = kept.savedAt;
        time.textContent = savedAt.toLocaleString(document.documentElement.lang || undefined);
        banner.hidden = false;
        banner.querySelector('[data-autosave-restore]').addEventListener('click', () => {
            restore(kept.values);
            banner.hidden = true;
            keep();
            form.querySelector('#id_title')?.focus();
        });
        banner.querySelector('[data-autosave-discard]').addEventListener('click', () => {
            localStorage.removeItem(key);
            banner.hidden = true;
        });
    }

    /* Leaving */

    function guardLeaving() {
        const dialog = document.getElementById('leave-dialog');
        window.addEventListener('beforeunload', (event) => {
            if (!leaving && isDirty()) {
                keep();
                event.preventDefault();
                event.returnValue = '';
            }
        });
        form.addEventListener('submit', () => { leaving = true; });
        document.addEventListener('click', (event) => {
            const link = event.target.closest('a[href]');
            if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey
                || event.shiftKey || link.target || link.getAttribute('href').startsWith('#')
                || link.closest('dialog, .prose-editor, .select2-container, .live-preview, .inline-group')) {
                return;
            }
            if (!isDirty() || !dialog) {
                return;
            }
            event.preventDefault();
            keep();
            dialog.querySelector('[data-leave-anyway]').href = link.href;
            dialog.showModal();
        });
        dialog?.querySelector('[data-leave-anyway]').addEventListener('click', () => { leaving = true; });
    }

    /* The workflow's buttons */

    function fieldRow(name) {
        return form.querySelector(`fieldset .form-row.field-${name}`);
    }

    function askingDialogs() {
        const steps = new Set();
        for (const dialog of form.querySelectorAll('dialog[data-step-dialog]')) {
            const name = dialog.dataset.field;
            steps.add(name);
            const home = dialog.querySelector('[data-field-home]');
            const row = fieldRow(name);
            if (home && row) {
                home.append(row); // the field is asked for here, not in the form
            }
            if (dialog.querySelector('.errorlist')) {
                dialog.showModal();
            }
        }
        // The comment for the author is for sending back only, the reason for
        // withdrawing: only a withdrawn release shows it in the form.
        if (!steps.has('review_comment')) {
            const row = fieldRow('review_comment');
            if (row) row.hidden = true;
        }
        if (!steps.has('withdrawal_reason') && banner.dataset.status !== 'withdrawn') {
            const row = fieldRow('withdrawal_reason');
            if (row) row.hidden = true;
        }
        form.addEventListener('click', (event) => {
            const button = event.target.closest('button[data-asks]');
            if (button) {
                event.preventDefault();
                const dialog = document.getElementById(`step-${button.value}`);
                dialog.showModal();
                dialog.querySelector('input:not([type=hidden]), textarea')?.focus();
            }
            const close = event.target.closest('[data-close-dialog]');
            if (close) {
                close.closest('dialog').close();
            }
        });
    }

    function saveShortcut() {
        const save = form.querySelector('[data-save-draft]');
        document.addEventListener('keydown', (event) => {
            if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's' && save) {
                event.preventDefault();
                form.requestSubmit(save);
            }
        });
    }

    /* Words, reading time, the checklist */

    function bodyText() {
        if (editor) {
            return editor.state.doc.textBetween(0, editor.state.doc.content.size, ' ', ' ');
        }
        const body = form.querySelector('#id_body');
        return body ? new DOMParser().parseFromString(body.value, 'text/html').body.textContent : '';
    }

    function leadPhotoWithAltText() {
        const rows = Array.from(form.querySelectorAll('#images-group tr.form-row:not(.empty-form)')).filter((row) => {
            const deleted = row.querySelector('input[name$="-DELETE"]');
            const upload = row.querySelector('input[type=file]');
            return !(deleted && deleted.checked)
                && (row.querySelector('img.media-thumbnail') || (upload && upload.files.length));
        });
        const lead = rows.find((row) => row.querySelector('input[name$="-is_lead"]')?.checked) || rows[0];
        return Boolean(lead && lead.querySelector('input[name$="-alt_text"]')?.value.trim());
    }

    function tagCount() {
        const tags = form.querySelector('#id_tags');
        return tags ? tags.value.split(',').filter((name) => name.trim()).length : 0;
    }

    function checks() {
        const title = (form.querySelector('#id_title')?.value || '').trim();
        return {
            lead: Boolean((form.querySelector('#id_lead')?.value || '').trim()),
            tags: tagCount() > 0,
            photo: leadPhotoWithAltText(),
            department: Boolean(form.querySelector('#id_department')?.value),
            title: title.length > 0 && title.length < TITLE_LIMIT,
        };
    }

    function showStatus() {
        const count = form.querySelector('[data-word-count]');
        if (count) {
            const words = bodyText().split(/\s+/).filter(Boolean).length;
            const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
            count.textContent = count.dataset.template.replace('__WORDS__', words).replace('__MINUTES__', minutes);
        }
        const list = form.querySelector('[data-checklist]');
        if (!list) {
            return;
        }
        const done = checks();
        for (const item of list.querySelectorAll('[data-check]')) {
            const ok = done[item.dataset.check];
            item.classList.toggle('done', ok);
            item.classList.toggle('missing', !ok);
            let state = item.querySelector('.check-state');
            if (!state) {
                state = document.createElement('span');
                state.className = 'check-state';
                item.prepend(state);
            }
            state.textContent = `${ok ? list.dataset.done : list.dataset.missing}: `;
        }
    }

    function checklistBeforeSubmitting() {
        const dialog = document.getElementById('checklist-dialog');
        form.addEventListener('click', (event) => {
            const button = event.target.closest('button[data-checklist]');
            if (!button || !dialog) {
                return;
            }
            const done = checks();
            const missing = Array.from(form.querySelectorAll('[data-checklist] [data-check]'))
                .filter((item) => !done[item.dataset.check]);
            if (!missing.length) {
                return;
            }
            event.preventDefault();
            dialog.querySelector('[data-checklist-missing]').replaceChildren(...missing.map((item) => {
                const entry = document.createElement('li');
                entry.textContent = item.lastChild.textContent.trim();
                return entry;
            }));
            dialog.showModal();
        });
    }

    /* The slug's full address */

    function slugAddress() {
        const slug = form.querySelector('#id_slug');
        const prefixes = JSON.parse(document.getElementById('address-prefixes')?.textContent || '{}');
        const label = document.querySelector('[data-address-label]')?.dataset.addressLabel || '';
        const row = form.querySelector('.field-slug');
        if (!row) {
            return () => {};
        }
        const address = document.createElement('p');
        address.className = 'help slug-address';
        address.id = 'slug-address';
        address.setAttribute('aria-live', 'polite');
        (row.querySelector('.flex-container')?.parentElement || row).append(address);
        slug?.setAttribute('aria-describedby', [slug.getAttribute('aria-describedby'), address.id].filter(Boolean).join(' '));
        return () => {
            const language = form.querySelector('#id_language')?.value;
            const [before, after] = prefixes[language] || Object.values(prefixes)[0] || ['', ''];
            const value = slug ? slug.value : (row.querySelector('.readonly')?.textContent || '').trim();
            const text = `${label} ${before}${value || '…'}${after}`;
            if (address.textContent !== text) {
                address.textContent = text;
            }
        };
    }

    /* Names for the admin's own widgets that come without one: the body's
       editor, Select2's boxes, the photo and document tables' fields (their
       column heading is their label to the eye, not to a screen reader). */
    function labelText(id) {
        const label = document.querySelector(`label[for="${id}"]`);
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
    }

    function nameWidgets() {
        for (const select of form.querySelectorAll('select.admin-autocomplete')) {
            const name = labelText(select.id);
            const container = select.nextElementSibling;
            if (!name || !container) continue;
            const label = document.querySelector(`label[for="${select.id}"]`);
            label.id ||= `${select.id}_label`;
            container.querySelectorAll('[role=combobox], [role=textbox], .select2-search__field').forEach((widget) => {
                widget.setAttribute('aria-label', name);
                const shown = widget.getAttribute('aria-labelledby');
                if (shown && !shown.startsWith(label.id)) {
                    // The field's name first, then what is chosen in it.
                    widget.setAttribute('aria-labelledby', `${label.id} ${shown}`);
                }
            });
        }
        const body = form.querySelector('.field-body .ProseMirror[contenteditable]');
        if (body && !body.hasAttribute('aria-label')) {
            body.setAttribute('aria-label', labelText('id_body'));
        }
        for (const field of form.querySelectorAll('p.datetime input')) {
            if (!field.labels.length && !field.hasAttribute('aria-label')) {
                const row = field.closest('.form-row')?.querySelector('label')?.textContent.replace(/:\s*$/, '') || '';
                const part = field.previousSibling?.textContent?.trim().replace(/:$/, '')
                    || field.previousElementSibling?.textContent.trim().replace(/:$/, '') || '';
                field.setAttribute('aria-label', `${row} ${part}`.trim());
            }
        }
        for (const table of form.querySelectorAll('.inline-group .tabular table')) {
            const headings = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent.trim());
            table.querySelectorAll('tbody tr').forEach((row, number) => {
                Array.from(row.children).forEach((cell, column) => {
                    cell.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((field) => {
                        if (!field.labels.length && !field.hasAttribute('aria-label') && headings[column]) {
                            field.setAttribute('aria-label', `${headings[column]} (${number + 1})`);
                        }
                    });
                });
            });
        }
    }

    function ready() {
        form = document.getElementById('release_form');
        banner = document.querySelector('[data-autosave-banner]');
        if (!form || !banner) {
            return;
        }
        const body = form.querySelector('.field-body .ProseMirror[contenteditable]');
        editor = editor || (body && body.editor) || null;
        initial = snapshot();
        forgetSaved();
        offerKept();
        guardLeaving();
        askingDialogs();
        saveShortcut();
        checklistBeforeSubmitting();
        const showAddress = slugAddress();
        const refresh = () => { showStatus(); showAddress(); nameWidgets(); };
        refresh();
        let pending;
        form.addEventListener('input', () => {
            refresh();
            clearTimeout(pending);
            pending = setTimeout(keep, 500);
        });
        form.addEventListener('change', refresh);
        // Select2 and the admin's prepopulated slug change fields without events.
        setInterval(refresh, 1000);
        setInterval(keep, 5000);
    }

    // The body's editor announces itself; it may come before or after load.
    document.addEventListener('prose-editor:ready', (event) => {
        if (event.detail.textarea.name !== 'body') {
            return;
        }
        editor = event.detail.editor;
        if (initial !== null && banner && banner.hidden) {
            // The editor may write the body back in its own form of HTML.
            const values = snapshot();
            initial.body = values.body;
        }
        editor.on('update', () => form && form.dispatchEvent(new Event('input')));
    });
    window.addEventListener('load', ready);
}
