/* Prefilled slugs that match the ones the server makes (releases/slugs.py):
   Azerbaijani and Cyrillic letters become readable ASCII ("Bağırov" becomes
   "baghirov") instead of the admin's generic Turkish rules ("bagirov"). The
   letters are the server's own, given by the change form in a JSON data
   block (#slug-letters), which runs nothing and so passes the CSP. */
'use strict';
{
    let table;

    window.URLify = function(text, maxLength) {
        table ??= JSON.parse(document.getElementById('slug-letters').textContent);
        const ascii = Array.from(text.toLowerCase(), (letter) => table[letter] ?? letter).join('')
            .normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
        return ascii.replace(/[^\w\s-]/g, '').trim().replace(/[-\s_]+/g, '-')
            .slice(0, maxLength).replace(/^-+|-+$/g, '');
    };
}
