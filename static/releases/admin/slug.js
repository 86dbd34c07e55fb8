/* Prefilled slugs that match the ones the server makes (releases/slugs.py):
   Azerbaijani and Cyrillic letters become readable ASCII ("Bağırov" becomes
   "baghirov") instead of the admin's generic Turkish rules ("bagirov"). */
'use strict';
{
    const table = {
        'ə': 'a', 'ğ': 'gh', 'ı': 'i', 'ö': 'o', 'ş': 'sh', 'ü': 'u', 'ç': 'ch',
        'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ё': 'yo',
        'ж': 'zh', 'з': 'z', 'и': 'i', 'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm',
        'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u',
        'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch',
        'ъ': '', 'ы': 'y', 'ь': '', 'э': 'e', 'ю': 'yu', 'я': 'ya',
        'ә': 'a', 'ғ': 'gh', 'ҝ': 'g', 'ө': 'o', 'ү': 'u', 'һ': 'h', 'ҹ': 'j', 'ј': 'y'
    };

    window.URLify = function(text, maxLength) {
        const ascii = Array.from(text.toLowerCase(), (letter) => table[letter] ?? letter).join('')
            .normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
        return ascii.replace(/[^\w\s-]/g, '').trim().replace(/[-\s_]+/g, '-')
            .slice(0, maxLength).replace(/^-+|-+$/g, '');
    };
}
