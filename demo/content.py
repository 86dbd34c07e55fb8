"""The demo content that `manage.py load_demo` loads: departments, events,
delegations and the seed release's own data (see seed.py for its text, and
further_releases.py for the releases written for the demo).

Text that has a version per language is a dict {"en": ..., "az": ..., "ru": ...}:
for events, departments and delegations it fills the per-language columns
(title_en, title_az, title_ru, ...); releases have a version per language
instead, each its own row. Times are Baku time.
"""

from datetime import date

PRESS_DEPARTMENT = "press-and-public-relations"
INTERNATIONAL_DEPARTMENT = "international-relations"

DEPARTMENTS = [
    {
        "slug": PRESS_DEPARTMENT,
        "name": {
            "en": "Press and Public Relations Department",
            "az": "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi",
            "ru": "Отдел по связям с общественностью и прессой",
        },
        "signature": {
            "en": "SCC Press and Public Relations Department",
            "az": "DGK-nin Mətbuat və ictimaiyyətlə əlaqələr şöbəsi",
            "ru": "Отдел по связям с общественностью и прессой ГТК",
        },
        "description": {
            "en": "Informs the public and the media about the work of the State Customs Committee.",
            "az": "İctimaiyyəti və kütləvi informasiya vasitələrini Dövlət Gömrük Komitəsinin fəaliyyəti barədə "
            "məlumatlandırır.",
            "ru": "Информирует общественность и средства массовой информации о работе Государственного "
            "таможенного комитета.",
        },
        "email": "press@customs.example.az",
        "phone": "+994 12 404 00 00",
        "media_contact_name": {"en": "Aysel Mammadova", "az": "Aysel Məmmədova", "ru": "Айсель Мамедова"},
        "media_contact_email": "media@customs.example.az",
        "media_contact_phone": "+994 12 404 00 01",
    },
    {
        "slug": INTERNATIONAL_DEPARTMENT,
        "name": {
            "en": "International Relations Department",
            "az": "Beynəlxalq əlaqələr şöbəsi",
            "ru": "Отдел международных связей",
        },
        "signature": {
            "en": "SCC International Relations Department",
            "az": "DGK-nin Beynəlxalq əlaqələr şöbəsi",
            "ru": "Отдел международных связей ГТК",
        },
        "description": {
            "en": "Represents Azerbaijan Customs in international organizations and bilateral cooperation.",
            "az": "Azərbaycan gömrüyünü beynəlxalq təşkilatlarda və ikitərəfli əməkdaşlıqda təmsil edir.",
            "ru": "Представляет таможенную службу Азербайджана в международных организациях и в двустороннем "
            "сотрудничестве.",
        },
        "email": "international@customs.example.az",
        "phone": "+994 12 404 00 10",
    },
]

POLICY_COMMISSION = "88th-session-wco-policy-commission"
COUNCIL = "141st-142nd-session-customs-cooperation-council"
WORKING_GROUP = "middle-corridor-transit-working-group-2027"

WCO = {
    "organizer": {
        "en": "World Customs Organization",
        "az": "Ümumdünya Gömrük Təşkilatı",
        "ru": "Всемирная таможенная организация",
    },
    "venue": {"en": "WCO headquarters", "az": "ÜGT-nin mənzil-qərargahı", "ru": "Штаб-квартира ВТамО"},
    "city": {"en": "Brussels", "az": "Brüssel", "ru": "Брюссель"},
    "country": {"en": "Belgium", "az": "Belçika", "ru": "Бельгия"},
}

EVENTS = [
    {
        "slug": POLICY_COMMISSION,
        "title": {
            "en": "88th session of the WCO Policy Commission",
            "az": "ÜGT-nin Siyasət Komissiyasının 88-ci sessiyası",
            "ru": "88-я сессия Комиссии по политике ВТамО",
        },
        **WCO,
        "start_date": date(2023, 6, 19),
        "end_date": None,
        "description": {
            "en": "The Policy Commission of the World Customs Organization discusses the strategic questions of "
            "the organization before the Customs Cooperation Council.",
            "az": "Ümumdünya Gömrük Təşkilatının Siyasət Komissiyası Gömrük Əməkdaşlığı Şurasından öncə təşkilatın "
            "strateji məsələlərini müzakirə edir.",
            "ru": "Комиссия по политике Всемирной таможенной организации обсуждает стратегические вопросы "
            "организации перед Советом таможенного сотрудничества.",
        },
    },
    {
        "slug": COUNCIL,
        "title": {
            "en": "141st/142nd Session of the Customs Cooperation Council",
            "az": "Gömrük Əməkdaşlığı Şurasının 141/142-ci sessiyası",
            "ru": "141-я/142-я сессия Совета таможенного сотрудничества",
        },
        **WCO,
        "start_date": date(2023, 6, 22),
        "end_date": date(2023, 6, 24),
        "description": {
            "en": "The annual session of the Council, the governing body of the World Customs Organization.",
            "az": "Ümumdünya Gömrük Təşkilatının rəhbər orqanı olan Şuranın illik sessiyası.",
            "ru": "Ежегодная сессия Совета, руководящего органа Всемирной таможенной организации.",
        },
    },
    {
        "slug": WORKING_GROUP,
        "title": {
            "en": "Working group on transit customs procedures along the Middle Corridor",
            "az": "Orta Dəhliz boyunca tranzit gömrük prosedurları üzrə işçi qrup",
            "ru": "Рабочая группа по транзитным таможенным процедурам вдоль Среднего коридора",
        },
        "organizer": {
            "en": "State Customs Committee of the Republic of Azerbaijan",
            "az": "Azərbaycan Respublikası Dövlət Gömrük Komitəsi",
            "ru": "Государственный таможенный комитет Азербайджанской Республики",
        },
        "venue": {
            "en": "State Customs Committee",
            "az": "Dövlət Gömrük Komitəsi",
            "ru": "Государственный таможенный комитет",
        },
        "city": {"en": "Baku", "az": "Bakı", "ru": "Баку"},
        "country": {"en": "Azerbaijan", "az": "Azərbaycan", "ru": "Азербайджан"},
        "start_date": date(2027, 4, 14),
        "end_date": date(2027, 4, 15),
        "description": {
            "en": "Heads of the customs services of the region meet to simplify transit procedures along the "
            "Middle Corridor.",
            "az": "Region ölkələrinin gömrük xidmətlərinin rəhbərləri Orta Dəhliz boyunca tranzit prosedurlarını "
            "sadələşdirmək üçün bir araya gəlir.",
            "ru": "Руководители таможенных служб стран региона встречаются, чтобы упростить транзитные процедуры "
            "вдоль Среднего коридора.",
        },
    },
]

CHAIRMAN = {
    "head_name": {"en": "Shahin Baghirov", "az": "Şahin Bağırov", "ru": "Шахин Багиров"},
    "head_position": {
        "en": "Chairman of the State Customs Committee",
        "az": "Dövlət Gömrük Komitəsinin sədri",
        "ru": "Председатель Государственного таможенного комитета",
    },
    "head_rank": {
        "en": "lieutenant-general of the customs service",
        "az": "gömrük xidmətinin general-leytenantı",
        "ru": "генерал-лейтенант таможенной службы",
    },
}

# A delegation is known by its event and the English name of its head.
DELEGATIONS = [
    {"key": "policy-commission", "event": POLICY_COMMISSION, "head": CHAIRMAN, "members": []},
    {
        "key": "council",
        "event": COUNCIL,
        "head": CHAIRMAN,
        "members": [
            {
                "name": {"en": "Rauf Aliyev", "az": "Rauf Əliyev", "ru": "Рауф Алиев"},
                "position": {
                    "en": "Head of the International Relations Department",
                    "az": "Beynəlxalq əlaqələr şöbəsinin rəisi",
                    "ru": "Начальник отдела международных связей",
                },
            },
            {
                "name": {"en": "Leyla Hasanova", "az": "Leyla Həsənova", "ru": "Лейла Гасанова"},
                "position": {
                    "en": "Chief adviser, International Relations Department",
                    "az": "Beynəlxalq əlaqələr şöbəsinin baş məsləhətçisi",
                    "ru": "Главный советник отдела международных связей",
                },
            },
        ],
    },
]

# The seed release: its title, body and time come from the seed file of each
# language (seed.py); the files have no summary, slug or tags, so those are
# written here.
SEED_SLUG = "wco-policy-commission-88th-session"
SEED_RELEASE = {
    "department": PRESS_DEPARTMENT,
    "event": POLICY_COMMISSION,
    "delegations": ["policy-commission"],
    "status": "published",
    "versions": {
        "en": {
            "slug": SEED_SLUG,
            "lead": "The delegation led by Chairman Shahin Baghirov takes part in the 88th session of the WCO "
            "Policy Commission in Brussels.",
            "tags": [
                "WCO",
                "Policy Commission",
                "Green Customs",
                "Fragile Borders",
                "Technology and Innovation",
                "Middle Corridor",
            ],
        },
        "az": {
            "slug": "ugt-siyasat-komissiyasinin-88-ci-sessiyasi",
            "lead": "Sədr Şahin Bağırovun rəhbərlik etdiyi nümayəndə heyəti Brüsseldə ÜGT-nin Siyasət "
            "Komissiyasının 88-ci sessiyasında iştirak edir.",
            "tags": [
                "ÜGT",
                "Siyasət Komissiyası",
                "Yaşıl gömrük",
                "Kövrək sərhədlər",
                "Texnologiya və innovasiyalar",
                "Orta Dəhliz",
            ],
        },
        "ru": {
            "slug": "88-ya-sessiya-komissii-po-politike-vtamo",
            "lead": "Делегация во главе с председателем Шахином Багировым участвует в 88-й сессии Комиссии по "
            "политике ВТамО в Брюсселе.",
            "tags": [
                "ВТамО",
                "Комиссия по политике",
                "Зелёная таможня",
                "Хрупкие границы",
                "Технологии и инновации",
                "Средний коридор",
            ],
        },
    },
}
