/* Prefilled slugs that match the ones the server makes (releases/slugs.py):
   Azerbaijani and Cyrillic letters become readable ASCII ("Bağırov" becomes
   "baghirov") instead of the admin's generic Turkish rules ("bagirov"). The
   letters are the server's own, given by the change form in a JSON data
   block (#slug-letters), which runs nothing and so passes the CSP. As on
   the server, a decimal point or comma between digits becomes a hyphen
   ("660.4" is "660-4") and a slug is cut after a word, at 80 characters. */
'use strict';
{
    let table;
    const SLUG_LENGTH = 80;  // releases.slugs.SLUG_LENGTH

    window.URLify = function(text, maxLength) {
        table ??= JSON.parse(document.getElementById('slug-letters').textContent);
        const ascii = Array.from(text.toLowerCase(), (letter) => table[letter] ?? letter).join('')
            .normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
        const slug = ascii.replace(/(\d)[.,](?=\d)/g, '$1-').replace(/[^\w\s-]/g, '').trim()
            .replace(/[-\s_]+/g, '-').replace(/^-+|-+$/g, '');
        const length = Math.min(maxLength || SLUG_LENGTH, SLUG_LENGTH);
        if (slug.length <= length) {
            return slug;
        }
        const cut = slug.slice(0, length + 1);
        const end = cut.lastIndexOf('-');
        return (end > 0 ? cut.slice(0, end) : cut.slice(0, length)).replace(/-+$/, '');
    };
}
