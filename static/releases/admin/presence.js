/* Tell the server this release is open here, and show who else has it open;
   on leaving, tell it so (a beacon), so that nobody sees a ghost for a minute.
   The change form carries the address to report to (data-editors-url). */
'use strict';
{
    function show(box, names) {
        box.hidden = names.length === 0;
        box.textContent = names.length ? `${box.dataset.label} ${names.join(', ')}` : '';
    }

    async function report(box, token) {
        try {
            const response = await fetch(box.dataset.editorsUrl, {
                method: 'POST',
                headers: {'X-CSRFToken': token},
                credentials: 'same-origin',
            });
            if (response.ok) {
                const {editors, interval} = await response.json();
                show(box, editors);
                setTimeout(() => report(box, token), (interval || 20) * 1000);
            }
        } catch (error) {
            setTimeout(() => report(box, token), 60000);
        }
    }

    window.addEventListener('load', () => {
        const box = document.getElementById('release-editors');
        const token = document.querySelector('input[name=csrfmiddlewaretoken]');
        if (box && token) {
            report(box, token.value);
            // Leaving, in whatever way: tell the others at once. A beacon
            // cannot carry headers, so the CSRF token goes in the body.
            window.addEventListener('pagehide', () => {
                const data = new FormData();
                data.append('csrfmiddlewaretoken', token.value);
                data.append('leaving', '1');
                navigator.sendBeacon(box.dataset.editorsUrl, data);
            });
        }
    });
}
