/* The live preview beside the release form (issue 16): the public page made
   of what the form holds now, unsaved, at desktop or phone width. The form's
   text is posted to the admin (releases/admin/writing.py), which keeps it for
   this user; the frame then loads the page made of it. It refreshes on
   demand, and as one types while "Refresh as I type" is ticked. */
'use strict';
{
    const TYPING_PAUSE = 1200;

    function formText(form) {
        const data = new FormData();
        for (const [name, value] of new FormData(form)) {
            if (typeof value === 'string') {
                data.append(name, value); // never the photos being uploaded
            }
        }
        return data;
    }

    function attach(form, panel, toggle) {
        const frame = panel.querySelector('[data-preview-frame]');
        const live = panel.querySelector('[data-preview-live]');
        const token = form.querySelector('input[name=csrfmiddlewaretoken]').value;
        let pending;

        async function refresh() {
            const response = await fetch(panel.dataset.url, {
                method: 'POST',
                body: formText(form),
                headers: {'X-CSRFToken': token},
                credentials: 'same-origin',
            });
            if (response.ok) {
                const separator = panel.dataset.url.includes('?') ? '&' : '?';
                frame.src = `${panel.dataset.url}${separator}shown=${Date.now()}`;
            }
        }

        function show(open) {
            panel.hidden = !open;
            document.body.classList.toggle('preview-open', open);
            toggle.setAttribute('aria-expanded', String(open));
            if (open) {
                refresh();
                panel.querySelector('h2').focus?.();
            } else {
                toggle.focus();
            }
        }

        toggle.hidden = false;
        toggle.addEventListener('click', () => show(panel.hidden));
        panel.querySelector('[data-preview-close]').addEventListener('click', () => show(false));
        panel.querySelector('[data-preview-refresh]').addEventListener('click', refresh);
        for (const button of panel.querySelectorAll('[data-width]')) {
            button.addEventListener('click', () => {
                panel.dataset.width = button.dataset.width;
                for (const other of panel.querySelectorAll('[data-width]')) {
                    other.setAttribute('aria-pressed', String(other === button));
                }
            });
        }
        form.addEventListener('input', () => {
            if (panel.hidden || !live.checked) {
                return;
            }
            clearTimeout(pending);
            pending = setTimeout(refresh, TYPING_PAUSE);
        });
    }

    window.addEventListener('load', () => {
        const form = document.getElementById('release_form');
        const panel = document.getElementById('live-preview');
        const toggle = document.querySelector('[data-preview-toggle]');
        if (form && panel && toggle) {
            attach(form, panel, toggle);
        }
    });
}
