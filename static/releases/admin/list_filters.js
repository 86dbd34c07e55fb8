/* The autocomplete filters of the release list (releases/admin/filters.py):
   choosing a value, or clearing it, applies the filter at once. The admin's
   autocomplete.js has made the select a select2 box, whose events come
   through jQuery. */
'use strict';
{
    window.addEventListener('load', () => {
        const $ = django.jQuery;
        $('form.autocomplete-filter select[data-submit-on-change]').on('change', function () {
            this.form.submit();
        });
    });
}
