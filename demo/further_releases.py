"""The releases written for the demo, beside the seed release, so that every
public page has something to show in each language: some in all three
languages, some in two, one in Azerbaijani only (a seminar for the region's
businesses), and a draft, a scheduled and a withdrawn release.

Each release has fields that its language versions share and a version per
language (slug, title, lead, body paragraphs, tags; a version may also carry
its own text for other fields, such as a withdrawal reason). Times are Baku
time.
"""

from datetime import datetime

from .content import COUNCIL, INTERNATIONAL_DEPARTMENT, PRESS_DEPARTMENT, WORKING_GROUP
from .seed import BAKU

RELEASES = [
    {
        "department": INTERNATIONAL_DEPARTMENT,
        "event": COUNCIL,
        "delegations": ["council"],
        "status": "published",
        "published_at": datetime(2023, 6, 24, 17, 30, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "azerbaijan-customs-at-the-customs-cooperation-council",
                "title": "Azerbaijan Customs takes part in the 141st/142nd Session of the Customs Cooperation Council",
                "lead": "The delegation led by Chairman Shahin Baghirov attended the annual session of the WCO's "
                "governing body in Brussels.",
                "body": [
                    "The 141st/142nd Session of the Customs Cooperation Council of the World Customs Organization "
                    "was held at the headquarters of the organization in Brussels on June 22-24.",
                    "The delegation of the State Customs Committee, led by the Chairman, lieutenant-general of the "
                    "customs service Shahin Baghirov, took part in the discussions on the WCO Strategic Plan, "
                    "Green Customs and the digital transformation of customs services.",
                    "On the margins of the session, bilateral meetings were held with the heads of several customs "
                    "administrations.",
                ],
                "tags": ["WCO", "Customs Cooperation Council", "Green Customs", "International cooperation"],
            },
            "az": {
                "slug": "azarbaycan-gomruyu-gomruk-amakdashlighi-shurasinda",
                "title": "Azərbaycan gömrüyü Gömrük Əməkdaşlığı Şurasının 141/142-ci sessiyasında iştirak edir",
                "lead": "Sədr Şahin Bağırovun rəhbərlik etdiyi nümayəndə heyəti Brüsseldə ÜGT-nin rəhbər "
                "orqanının illik sessiyasında iştirak edib.",
                "body": [
                    "Ümumdünya Gömrük Təşkilatının Gömrük Əməkdaşlığı Şurasının 141/142-ci sessiyası iyunun "
                    "22-24-də təşkilatın Brüsseldəki mənzil-qərargahında keçirilib.",
                    "Dövlət Gömrük Komitəsinin sədri, gömrük xidmətinin general-leytenantı Şahin Bağırovun "
                    'rəhbərlik etdiyi nümayəndə heyəti ÜGT-nin Strateji Planı, "Yaşıl gömrük" və gömrük '
                    "xidmətlərinin rəqəmsal transformasiyası üzrə müzakirələrdə iştirak edib.",
                    "Sessiya çərçivəsində bir sıra gömrük administrasiyalarının rəhbərləri ilə ikitərəfli görüşlər "
                    "keçirilib.",
                ],
                "tags": ["ÜGT", "Gömrük Əməkdaşlığı Şurası", "Yaşıl gömrük", "Beynəlxalq əməkdaşlıq"],
            },
            "ru": {
                "slug": "tamozhnya-azerbaydzhana-na-sovete-tamozhennogo-sotrudnichestva",
                "title": "Таможня Азербайджана участвует в 141-й/142-й сессии Совета таможенного сотрудничества",
                "lead": "Делегация во главе с председателем Шахином Багировым приняла участие в ежегодной сессии "
                "руководящего органа ВТамО в Брюсселе.",
                "body": [
                    "22-24 июня в штаб-квартире Всемирной таможенной организации в Брюсселе прошла 141-я/142-я "
                    "сессия Совета таможенного сотрудничества.",
                    "Делегация Государственного таможенного комитета во главе с председателем, генерал-лейтенантом "
                    "таможенной службы Шахином Багировым приняла участие в обсуждении Стратегического плана ВТамО, "
                    "«Зелёной таможни» и цифровой трансформации таможенных служб.",
                    "В рамках сессии прошли двусторонние встречи с руководителями ряда таможенных администраций.",
                ],
                "tags": [
                    "ВТамО",
                    "Совет таможенного сотрудничества",
                    "Зелёная таможня",
                    "Международное сотрудничество",
                ],
            },
        },
    },
    {
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "published",
        "published_at": datetime(2023, 7, 10, 10, 0, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "electronic-declarations-cut-paper-use",
                "title": "Green Customs: electronic declarations cut paper use at border posts",
                "lead": "Nine in ten goods declarations are now filed electronically, saving millions of sheets of "
                "paper a year.",
                "body": [
                    "The share of goods declarations filed electronically has reached ninety per cent, the State "
                    "Customs Committee reports.",
                    "The move to paperless procedures is part of the Green Customs programme, which was discussed "
                    "at the 88th session of the WCO Policy Commission in June.",
                ],
                "tags": ["Green Customs", "Digitalisation"],
            },
            "az": {
                "slug": "elektron-bayannamalar-kaghiz-istifadasini-azaldir",
                "title": "Yaşıl gömrük: elektron bəyannamələr sərhəd postlarında kağız istifadəsini azaldır",
                "lead": "Mal bəyannamələrinin onda doqquzu artıq elektron qaydada təqdim olunur, bu da ildə "
                "milyonlarla vərəq kağıza qənaət edir.",
                "body": [
                    "Dövlət Gömrük Komitəsinin məlumatına görə, elektron qaydada təqdim olunan mal "
                    "bəyannamələrinin payı doxsan faizə çatıb.",
                    "Kağızsız prosedurlara keçid iyun ayında ÜGT-nin Siyasət Komissiyasının 88-ci sessiyasında "
                    'müzakirə olunan "Yaşıl gömrük" proqramının bir hissəsidir.',
                ],
                "tags": ["Yaşıl gömrük", "Rəqəmsallaşma"],
            },
            "ru": {
                "slug": "elektronnye-deklaratsii-sokrashchayut-raskhod-bumagi",
                "title": "Зелёная таможня: электронные декларации сокращают расход бумаги на пограничных постах",
                "lead": "Девять из десяти деклараций на товары теперь подаются в электронном виде, что экономит "
                "миллионы листов бумаги в год.",
                "body": [
                    "Доля деклараций на товары, поданных в электронном виде, достигла девяноста процентов, "
                    "сообщает Государственный таможенный комитет.",
                    "Переход к безбумажным процедурам входит в программу «Зелёная таможня», которую обсуждали на "
                    "88-й сессии Комиссии по политике ВТамО в июне.",
                ],
                "tags": ["Зелёная таможня", "Цифровизация"],
            },
        },
    },
    {
        "department": INTERNATIONAL_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "published",
        "published_at": datetime(2023, 5, 30, 15, 20, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "transit-procedures-along-the-middle-corridor",
                "title": "Transit procedures along the Middle Corridor discussed in Baku",
                "lead": "Heads of the customs services of the region met in Baku to simplify transit along the "
                "Middle Corridor.",
                "body": [
                    "The meeting was held within the framework of the Project for simplifying transit customs "
                    "procedures along the Middle Corridor, initiated and organized by the Azerbaijan customs "
                    "service.",
                    "The participants agreed to exchange information on transit cargo in advance and to recognize "
                    "each other's customs seals.",
                ],
                "tags": ["Middle Corridor", "Transit", "International cooperation"],
            },
            "az": {
                "slug": "orta-dahliz-boyunca-tranzit-prosedurlari",
                "title": "Bakıda Orta Dəhliz boyunca tranzit prosedurları müzakirə olunub",
                "lead": "Region ölkələrinin gömrük xidmətlərinin rəhbərləri Orta Dəhliz boyunca tranziti "
                "sadələşdirmək üçün Bakıda görüşüblər.",
                "body": [
                    'Görüş Azərbaycan gömrük xidmətinin təşəbbüsü və təşkilatçılığı ilə həyata keçirilən "Orta '
                    'Dəhliz boyunca tranzit gömrük prosedurlarının sadələşdirilməsi layihəsi" çərçivəsində '
                    "keçirilib.",
                    "İştirakçılar tranzit yükləri barədə məlumatları əvvəlcədən mübadilə etmək və bir-birinin "
                    "gömrük möhürlərini tanımaq barədə razılığa gəliblər.",
                ],
                "tags": ["Orta Dəhliz", "Tranzit", "Beynəlxalq əməkdaşlıq"],
            },
            "ru": {
                "slug": "tranzitnye-protsedury-vdol-srednego-koridora",
                "title": "В Баку обсудили транзитные процедуры вдоль Среднего коридора",
                "lead": "Руководители таможенных служб стран региона встретились в Баку, чтобы упростить транзит "
                "вдоль Среднего коридора.",
                "body": [
                    "Встреча прошла в рамках «Проекта по упрощению транзитных таможенных процедур вдоль Среднего "
                    "коридора», инициированного и организованного таможенной службой Азербайджана.",
                    "Участники договорились заблаговременно обмениваться информацией о транзитных грузах и "
                    "признавать таможенные пломбы друг друга.",
                ],
                "tags": ["Средний коридор", "Транзит", "Международное сотрудничество"],
            },
        },
    },
    {
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "published",
        "published_at": datetime(2024, 12, 20, 9, 0, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "border-posts-around-the-clock-in-the-holidays",
                "title": "Customs posts work around the clock during the holiday season",
                "lead": "All road border crossing points will serve travellers and carriers twenty-four hours a "
                "day from 25 December to 10 January.",
                "body": [
                    "To shorten queues during the holiday season, every road border crossing point will work "
                    "around the clock from 25 December to 10 January.",
                    "Travellers are advised to fill in their declarations electronically before they reach the border.",
                ],
                "tags": ["Border crossings", "Travellers"],
            },
            "az": {
                "slug": "bayram-gunlarinda-gomruk-postlari-geca-gunduz-ishlayir",
                "title": "Bayram günlərində gömrük postları gecə-gündüz işləyir",
                "lead": "Dekabrın 25-dən yanvarın 10-dək bütün avtomobil sərhəd buraxılış məntəqələri "
                "sərnişinlərə və daşıyıcılara gecə-gündüz xidmət göstərəcək.",
                "body": [
                    "Bayram mövsümündə növbələri azaltmaq üçün dekabrın 25-dən yanvarın 10-dək bütün avtomobil "
                    "sərhəd buraxılış məntəqələri fasiləsiz işləyəcək.",
                    "Sərnişinlərə sərhədə çatmazdan əvvəl bəyannamələrini elektron qaydada doldurmaları tövsiyə "
                    "olunur.",
                ],
                "tags": ["Sərhəd buraxılış məntəqələri", "Sərnişinlər"],
            },
        },
    },
    {
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "published",
        "published_at": datetime(2024, 2, 14, 16, 40, tzinfo=BAKU),
        "versions": {
            "az": {
                "slug": "gancada-sahibkarlar-uchun-elektron-bayannama-seminari",
                "title": "Gəncədə sahibkarlar üçün elektron gömrük bəyannaməsinə dair seminar keçirilib",
                "lead": "Gəncə şəhərində xarici ticarət iştirakçıları üçün elektron bəyannamə sisteminin "
                "imkanlarına həsr olunmuş seminar təşkil edilib.",
                "body": [
                    "Dövlət Gömrük Komitəsinin təşəbbüsü ilə Gəncə şəhərində regionda fəaliyyət göstərən "
                    "sahibkarlar üçün elektron gömrük bəyannaməsinin doldurulması qaydalarına dair seminar "
                    "keçirilib.",
                    "Seminarda iştirakçılara bəyannamənin onlayn təqdim edilməsi, gömrük ödənişlərinin elektron "
                    "qaydada həyata keçirilməsi və malların buraxılışının izlənməsi barədə ətraflı məlumat "
                    "verilib.",
                    "Tədbirin sonunda sahibkarların sualları cavablandırılıb. Növbəti seminarların Şəki və "
                    "Lənkəranda keçirilməsi planlaşdırılır.",
                ],
                "tags": ["Sahibkarlar", "Elektron bəyannamə", "Gəncə", "Rəqəmsallaşma"],
            },
        },
    },
    {
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "withdrawn",
        "published_at": datetime(2025, 2, 27, 12, 0, tzinfo=BAKU),
        "withdrawn_at": datetime(2025, 2, 28, 9, 15, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "citizen-reception-schedule-march",
                "title": "Schedule of citizen receptions for March",
                "lead": "The heads of the State Customs Committee receive citizens on the days listed below.",
                "body": ["The schedule of receptions has been replaced; please see the updated announcement."],
                "tags": ["Travellers"],
                "withdrawal_reason": "Issued with wrong dates; replaced by the updated schedule.",
            },
        },
    },
    {
        "department": INTERNATIONAL_DEPARTMENT,
        "event": WORKING_GROUP,
        "delegations": [],
        "status": "published",
        "published_at": datetime(2030, 4, 15, 18, 0, tzinfo=BAKU),
        "versions": {
            "en": {
                "slug": "middle-corridor-working-group-results",
                "title": "Results of the Middle Corridor working group",
                "lead": "The working group on transit customs procedures agreed on a common electronic transit "
                "document.",
                "body": [
                    "The working group met in Baku on April 14-15 and agreed on the next steps towards a common "
                    "electronic transit document along the Middle Corridor.",
                ],
                "tags": ["Middle Corridor", "Transit"],
            },
            "az": {
                "slug": "orta-dahliz-uzra-ishchi-qrupun-naticalari",
                "title": "Orta Dəhliz üzrə işçi qrupun nəticələri",
                "lead": "Tranzit gömrük prosedurları üzrə işçi qrup vahid elektron tranzit sənədi barədə "
                "razılığa gəlib.",
                "body": [
                    "İşçi qrup aprelin 14-15-də Bakıda toplaşıb və Orta Dəhliz boyunca vahid elektron tranzit "
                    "sənədinə doğru növbəti addımlar barədə razılığa gəlib.",
                ],
                "tags": ["Orta Dəhliz", "Tranzit"],
            },
        },
    },
    {
        "department": PRESS_DEPARTMENT,
        "event": None,
        "delegations": [],
        "status": "draft",
        "published_at": None,
        "versions": {
            "en": {
                "slug": "annual-customs-revenue-report-draft",
                "title": "Customs revenue for the year: the annual report",
                "lead": "A draft, still being written: the figures are not final.",
                "body": ["The annual report on customs revenue will be published once the figures are final."],
                "tags": ["Customs revenue"],
            },
        },
    },
]
