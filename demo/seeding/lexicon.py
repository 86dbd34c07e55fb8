"""The words synthetic releases are written with: parallel phrases in English,
Azerbaijani and Russian, each entry a tuple in the order of `ORDER`.

The phrases are chosen so that they combine without grammar rules: Russian
subjects are plural, so that every past-tense verb agrees with them;
Azerbaijani objects are already in the accusative; places come with their
locative ("in Baku", "Bakıda", "в Баку").
"""

ORDER = ("en", "az", "ru")

# A sentence is subject + verb + object + circumstance (Azerbaijani:
# subject + circumstance + object + verb).
SUBJECTS = [
    (
        "Representatives of the State Customs Committee",
        "Dövlət Gömrük Komitəsinin nümayəndələri",
        "Представители Государственного таможенного комитета",
    ),
    ("Customs officers", "Gömrük əməkdaşları", "Сотрудники таможни"),
    ("Members of the delegation", "Nümayəndə heyətinin üzvləri", "Члены делегации"),
    ("Participants of the meeting", "Görüşün iştirakçıları", "Участники встречи"),
    ("Experts of the Committee", "Komitənin ekspertləri", "Эксперты Комитета"),
    ("The parties", "Tərəflər", "Стороны"),
    (
        "Heads of the regional customs offices",
        "Regional gömrük idarələrinin rəhbərləri",
        "Руководители региональных таможенных управлений",
    ),
    ("Officials of the ministry", "Nazirliyin rəsmiləri", "Должностные лица министерства"),
    (
        "Border guards and customs inspectors",
        "Sərhədçilər və gömrük müfəttişləri",
        "Пограничники и таможенные инспекторы",
    ),
    ("Specialists of the press service", "Mətbuat xidmətinin mütəxəssisləri", "Специалисты пресс-службы"),
    ("Foreign partners", "Xarici tərəfdaşlar", "Зарубежные партнёры"),
    ("Entrepreneurs and exporters", "Sahibkarlar və ixracatçılar", "Предприниматели и экспортёры"),
    ("Members of the working group", "İşçi qrupunun üzvləri", "Члены рабочей группы"),
    ("Leaders of the customs services", "Gömrük xidmətlərinin rəhbərləri", "Руководители таможенных служб"),
    ("Trainers of the Customs Academy", "Gömrük Akademiyasının təlimçiləri", "Преподаватели Таможенной академии"),
]

VERBS = [
    ("discussed", "müzakirə ediblər", "обсудили"),
    ("reviewed", "nəzərdən keçiriblər", "рассмотрели"),
    ("presented", "təqdim ediblər", "представили"),
    ("examined", "araşdırıblar", "изучили"),
    ("approved", "təsdiqləyiblər", "одобрили"),
    ("assessed", "qiymətləndiriblər", "оценили"),
    ("outlined", "açıqlayıblar", "изложили"),
    ("agreed on", "razılaşdırıblar", "согласовали"),
    ("supported", "dəstəkləyiblər", "поддержали"),
    ("analysed", "təhlil ediblər", "проанализировали"),
    ("prepared", "hazırlayıblar", "подготовили"),
    ("explained", "izah ediblər", "разъяснили"),
    ("highlighted", "vurğulayıblar", "особо отметили"),
    ("welcomed", "alqışlayıblar", "приветствовали"),
    ("monitored", "izləyiblər", "проконтролировали"),
]

OBJECTS = [
    (
        "measures to simplify trade procedures",
        "ticarət prosedurlarının sadələşdirilməsi tədbirlərini",
        "меры по упрощению торговых процедур",
    ),
    ("the results of joint operations", "birgə əməliyyatların nəticələrini", "результаты совместных операций"),
    (
        "a draft memorandum of understanding",
        "anlaşma memorandumunun layihəsini",
        "проект меморандума о взаимопонимании",
    ),
    ("the electronic declaration system", "elektron bəyannamə sistemini", "систему электронного декларирования"),
    ("new rules for the transit of goods", "malların tranziti üçün yeni qaydaları", "новые правила транзита товаров"),
    ("the fight against smuggling", "qaçaqmalçılığa qarşı mübarizəni", "борьбу с контрабандой"),
    ("the risk management system", "risklərin idarə edilməsi sistemini", "систему управления рисками"),
    ("the exchange of customs information", "gömrük məlumatlarının mübadiləsini", "обмен таможенной информацией"),
    ("the statistics of foreign trade", "xarici ticarət statistikasını", "статистику внешней торговли"),
    (
        "the modernisation of border checkpoints",
        "sərhəd buraxılış məntəqələrinin modernləşdirilməsini",
        "модернизацию пунктов пропуска на границе",
    ),
    (
        "the protection of intellectual property rights",
        "əqli mülkiyyət hüquqlarının qorunmasını",
        "защиту прав интеллектуальной собственности",
    ),
    ("the green customs initiative", "yaşıl gömrük təşəbbüsünü", "инициативу «зелёная таможня»"),
    ("the single window principle", "bir pəncərə prinsipini", "принцип «единого окна»"),
    (
        "the training programme for young officers",
        "gənc əməkdaşlar üçün təlim proqramını",
        "программу обучения молодых сотрудников",
    ),
    ("the collection of customs duties", "gömrük rüsumlarının yığılmasını", "сбор таможенных пошлин"),
    ("the control of excise goods", "aksiz mallarına nəzarəti", "контроль подакцизных товаров"),
    ("the results of the year", "ilin nəticələrini", "итоги года"),
    ("the new customs code", "yeni Gömrük Məcəlləsini", "новый Таможенный кодекс"),
    ("the development of transport corridors", "nəqliyyat dəhlizlərinin inkişafını", "развитие транспортных коридоров"),
    (
        "the authorised economic operator programme",
        "səlahiyyətli iqtisadi operator proqramını",
        "программу уполномоченных экономических операторов",
    ),
    (
        "the procedures of post-clearance audit",
        "rəsmiləşdirmədən sonrakı audit prosedurlarını",
        "процедуры таможенного постконтроля",
    ),
    (
        "the cooperation between customs administrations",
        "gömrük administrasiyaları arasında əməkdaşlığı",
        "сотрудничество между таможенными администрациями",
    ),
    (
        "the proposals of the business community",
        "biznes ictimaiyyətinin təkliflərini",
        "предложения делового сообщества",
    ),
    (
        "the inspection of vehicles and cargo",
        "nəqliyyat vasitələrinin və yüklərin yoxlanılmasını",
        "досмотр транспортных средств и грузов",
    ),
    (
        "the digitalisation of customs services",
        "gömrük xidmətlərinin rəqəmsallaşdırılmasını",
        "цифровизацию таможенных услуг",
    ),
]

CIRCUMSTANCES = [
    ("at the headquarters of the Committee", "Komitənin baş ofisində", "в центральном аппарате Комитета"),
    ("in Baku", "Bakıda", "в Баку"),
    ("during the working visit", "işgüzar səfər zamanı", "в ходе рабочего визита"),
    (
        "within the framework of international cooperation",
        "beynəlxalq əməkdaşlıq çərçivəsində",
        "в рамках международного сотрудничества",
    ),
    ("at the border checkpoint", "sərhəd buraxılış məntəqəsində", "на пункте пропуска"),
    ("by videoconference", "videokonfrans vasitəsilə", "в формате видеоконференции"),
    ("at the regional customs office", "regional gömrük idarəsində", "в региональном таможенном управлении"),
    ("on the instructions of the Chairman", "Komitə sədrinin tapşırığı ilə", "по поручению Председателя"),
    ("in the first half of the year", "ilin birinci yarısında", "в первом полугодии"),
    ("at the Customs Academy", "Gömrük Akademiyasında", "в Таможенной академии"),
    ("at the international forum", "beynəlxalq forumda", "на международном форуме"),
    ("in accordance with the action plan", "fəaliyyət planına uyğun olaraq", "в соответствии с планом мероприятий"),
    ("together with partner agencies", "tərəfdaş qurumlarla birlikdə", "совместно с партнёрскими ведомствами"),
    ("at the Alat seaport", "Ələt dəniz limanında", "в морском порту Алят"),
    (
        "at Heydar Aliyev International Airport",
        "Heydər Əliyev Beynəlxalq Aeroportunda",
        "в Международном аэропорту имени Гейдара Алиева",
    ),
    ("in Ganja", "Gəncədə", "в Гяндже"),
    ("in Nakhchivan", "Naxçıvanda", "в Нахчыване"),
    ("at a press conference", "mətbuat konfransında", "на пресс-конференции"),
    ("last week", "keçən həftə", "на прошлой неделе"),
    ("for the third time this year", "bu il üçüncü dəfə", "в третий раз в этом году"),
]

# "The number of detected cases of {offence} reached {number}."
COUNT_SENTENCES = (
    "The number of detected cases of {offence} reached {number}.",
    "Aşkar edilmiş {offence} hallarının sayı {number} olub.",
    "Число выявленных случаев {offence} составило {number}.",
)
OFFENCES = [
    ("smuggling", "qaçaqmalçılıq", "контрабанды"),
    ("customs fraud", "gömrük fırıldaqçılığı", "таможенного мошенничества"),
    ("undeclared currency", "bəyan edilməmiş valyuta", "недекларированной валюты"),
    ("counterfeit goods", "saxta mal", "контрафактной продукции"),
    ("drug trafficking", "narkotik qaçaqmalçılığı", "незаконного оборота наркотиков"),
]

# Subjects of releases and the base of tags, in the nominative.
TOPICS = [
    ("Transit", "Tranzit", "Транзит"),
    ("Green customs", "Yaşıl gömrük", "Зелёная таможня"),
    ("Smuggling", "Qaçaqmalçılıq", "Контрабанда"),
    ("E-customs", "Elektron gömrük", "Электронная таможня"),
    ("Risk management", "Risklərin idarə edilməsi", "Управление рисками"),
    ("Excise goods", "Aksiz malları", "Подакцизные товары"),
    ("Intellectual property", "Əqli mülkiyyət", "Интеллектуальная собственность"),
    ("Single window", "Bir pəncərə", "Единое окно"),
    ("Customs duties", "Gömrük rüsumları", "Таможенные пошлины"),
    ("Foreign trade", "Xarici ticarət", "Внешняя торговля"),
    ("Border checkpoints", "Sərhəd məntəqələri", "Пункты пропуска"),
    ("Drug trafficking", "Narkotik qaçaqmalçılığı", "Наркотрафик"),
    ("Training", "Təlim", "Обучение"),
    ("International cooperation", "Beynəlxalq əməkdaşlıq", "Международное сотрудничество"),
    ("Anti-corruption", "Korrupsiyaya qarşı mübarizə", "Противодействие коррупции"),
    ("Authorised economic operators", "Səlahiyyətli iqtisadi operatorlar", "Уполномоченные экономические операторы"),
    ("Post-clearance audit", "Rəsmiləşdirmədən sonrakı audit", "Таможенный постконтроль"),
    ("Customs statistics", "Gömrük statistikası", "Таможенная статистика"),
    ("Tariff regulation", "Tarif tənzimlənməsi", "Тарифное регулирование"),
    ("Cultural heritage", "Mədəni irs", "Культурные ценности"),
    ("Currency control", "Valyuta nəzarəti", "Валютный контроль"),
    ("Veterinary control", "Baytarlıq nəzarəti", "Ветеринарный контроль"),
    ("Phytosanitary control", "Fitosanitar nəzarət", "Фитосанитарный контроль"),
    ("Digitalisation", "Rəqəmsallaşma", "Цифровизация"),
    ("Transport corridors", "Nəqliyyat dəhlizləri", "Транспортные коридоры"),
    ("Middle Corridor", "Orta Dəhliz", "Средний коридор"),
    ("Cargo inspection", "Yüklərin yoxlanılması", "Досмотр грузов"),
    ("Canine service", "Kinoloji xidmət", "Кинологическая служба"),
    ("Veterans", "Veteranlar", "Ветераны"),
    ("Youth", "Gənclər", "Молодёжь"),
    ("Sport", "İdman", "Спорт"),
    ("Awards", "Təltiflər", "Награды"),
    ("Legislation", "Qanunvericilik", "Законодательство"),
    ("Citizens' appeals", "Vətəndaş müraciətləri", "Обращения граждан"),
    ("Press conference", "Mətbuat konfransı", "Пресс-конференция"),
    ("Tourism", "Turizm", "Туризм"),
    ("Postal items", "Poçt göndərişləri", "Почтовые отправления"),
    ("Vehicles", "Nəqliyyat vasitələri", "Транспортные средства"),
    ("Medicines", "Dərman vasitələri", "Лекарственные средства"),
    ("Wildlife protection", "Vəhşi təbiətin qorunması", "Защита дикой природы"),
]

# Countries and cities that narrow a topic into a rarer tag: "Transit (Georgia)".
REGIONS = [
    ("Georgia", "Gürcüstan", "Грузия"),
    ("Türkiye", "Türkiyə", "Турция"),
    ("Iran", "İran", "Иран"),
    ("Russia", "Rusiya", "Россия"),
    ("Kazakhstan", "Qazaxıstan", "Казахстан"),
    ("Uzbekistan", "Özbəkistan", "Узбекистан"),
    ("Turkmenistan", "Türkmənistan", "Туркменистан"),
    ("China", "Çin", "Китай"),
    ("Ukraine", "Ukrayna", "Украина"),
    ("Belarus", "Belarus", "Беларусь"),
    ("Germany", "Almaniya", "Германия"),
    ("Italy", "İtaliya", "Италия"),
    ("Baku", "Bakı", "Баку"),
    ("Ganja", "Gəncə", "Гянджа"),
    ("Nakhchivan", "Naxçıvan", "Нахчыван"),
    ("Sumgait", "Sumqayıt", "Сумгаит"),
    ("Lankaran", "Lənkəran", "Ленкорань"),
]

# Where seizures and seminars happen, with the locative.
PLACES = [
    ("in Baku", "Bakıda", "в Баку"),
    ("at the Astara checkpoint", "Astara buraxılış məntəqəsində", "на пункте пропуска «Астара»"),
    ("at the Red Bridge checkpoint", "Qırmızı Körpü buraxılış məntəqəsində", "на пункте пропуска «Красный мост»"),
    ("at the Alat seaport", "Ələt dəniz limanında", "в морском порту Алят"),
    (
        "at Heydar Aliyev International Airport",
        "Heydər Əliyev Beynəlxalq Aeroportunda",
        "в Международном аэропорту имени Гейдара Алиева",
    ),
    ("in Ganja", "Gəncədə", "в Гяндже"),
    ("in Nakhchivan", "Naxçıvanda", "в Нахчыване"),
    ("in Sumgait", "Sumqayıtda", "в Сумгаите"),
    ("in Lankaran", "Lənkəranda", "в Ленкорани"),
    ("at the Samur checkpoint", "Samur buraxılış məntəqəsində", "на пункте пропуска «Самур»"),
    ("at the Biləsuvar checkpoint", "Biləsuvar buraxılış məntəqəsində", "на пункте пропуска «Билясувар»"),
    ("in Shaki", "Şəkidə", "в Шеки"),
    ("at the Baku post office", "Bakı poçtamtında", "в Бакинском почтамте"),
    (
        "at the Baku International Sea Trade Port",
        "Bakı Beynəlxalq Dəniz Ticarət Limanında",
        "в Бакинском международном морском торговом порту",
    ),
    ("in Guba", "Qubada", "в Губе"),
]

# Russian goods are plural, so that "изъяты" agrees with every one.
GOODS = [
    ("cigarettes", "siqaretlər", "сигареты"),
    ("narcotic drugs", "narkotik vasitələr", "наркотические средства"),
    ("counterfeit medicines", "saxta dərmanlar", "фальсифицированные лекарства"),
    ("undeclared foreign currency", "bəyan edilməmiş xarici valyuta", "незадекларированные денежные средства"),
    ("antique coins", "antik sikkələr", "старинные монеты"),
    ("mobile phones", "mobil telefonlar", "мобильные телефоны"),
    ("gold jewellery", "qızıl zinət əşyaları", "золотые украшения"),
    ("psychotropic substances", "psixotrop maddələr", "психотропные вещества"),
    ("rare bird eggs", "nadir quş yumurtaları", "яйца редких птиц"),
    ("car parts", "avtomobil ehtiyat hissələri", "автозапчасти"),
    ("alcoholic beverages", "spirtli içkilər", "алкогольные напитки"),
    ("firearms cartridges", "odlu silah patronları", "патроны к огнестрельному оружию"),
]

# Russian kinds are neuter, so that "прошло" agrees with every one.
MEETINGS = [
    ("Meeting", "görüş", "совещание"),
    ("Event", "tədbir", "мероприятие"),
    ("Round table", "dəyirmi masa", "заседание круглого стола"),
    ("Discussion", "müzakirə", "обсуждение"),
]

ORGANISATIONS = [
    ("WCO", "ÜGT", "ВТамО"),
    ("OSCE", "ATƏT", "ОБСЕ"),
    ("EU", "Aİ", "ЕС"),
    ("UNDP", "BMTİP", "ПРООН"),
    ("TRACECA", "TRASEKA", "ТРАСЕКА"),
    ("OTS", "TDT", "ОТГ"),
    ("CIS", "MDB", "СНГ"),
    ("ECO", "İƏT", "ОЭС"),
    ("WTO", "ÜTT", "ВТО"),
    ("GUAM", "GUAM", "ГУАМ"),
    ("UNODC", "BMT NCİ", "УНП ООН"),
    ("OECD", "İƏİT", "ОЭСР"),
]

# Title templates; each slot is filled with the same entry in every language.
TITLES = [
    (
        "{meeting} on {topic} held {place}",
        "{place} {topic} mövzusunda {meeting} keçirilib",
        "{place} прошло {meeting} по теме «{topic}»",
    ),
    ("Customs officers seize {goods} {place}", "{place} {goods} aşkar edilib", "{place} изъяты {goods}"),
    (
        "State Customs Committee and {organisation} discuss {topic}",
        "Dövlət Gömrük Komitəsi və {organisation} {topic} mövzusunu müzakirə edib",
        "Государственный таможенный комитет и {organisation} обсудили тему «{topic}»",
    ),
    (
        "New rules on {topic} come into force",
        "{topic} üzrə yeni qaydalar qüvvəyə minir",
        "Вступают в силу новые правила в сфере «{topic}»",
    ),
    (
        "Seminar for entrepreneurs on {topic} {place}",
        "{place} sahibkarlar üçün {topic} mövzusunda seminar",
        "{place} прошёл семинар для предпринимателей по теме «{topic}»",
    ),
    (
        "Chairman of the Committee meets the {organisation} delegation",
        "Komitə sədri {organisation} nümayəndə heyəti ilə görüşüb",
        "Председатель Комитета встретился с делегацией {organisation}",
    ),
    (
        "{topic}: results of joint operations {place}",
        "{topic}: {place} birgə əməliyyatların nəticələri",
        "{topic}: итоги совместных операций {place}",
    ),
    (
        "{organisation} experts visit the Committee to discuss {topic}",
        "{organisation} ekspertləri {topic} mövzusunda Komitədə olublar",
        "Эксперты {organisation} посетили Комитет для обсуждения темы «{topic}»",
    ),
]

DEPARTMENTS = [
    (
        "Press and Public Relations Department",
        "Mətbuat və İctimaiyyətlə Əlaqələr İdarəsi",
        "Управление по связям с прессой и общественностью",
    ),
    (
        "Customs Control Organisation Department",
        "Gömrük Nəzarətinin Təşkili Baş İdarəsi",
        "Главное управление организации таможенного контроля",
    ),
    (
        "Anti-Smuggling Department",
        "Qaçaqmalçılıqla Mübarizə Baş İdarəsi",
        "Главное управление по борьбе с контрабандой",
    ),
    ("Customs Payments Department", "Gömrük Ödənişləri Baş İdarəsi", "Главное управление таможенных платежей"),
    ("Legal Department", "Hüquq İdarəsi", "Юридическое управление"),
    ("International Relations Department", "Beynəlxalq Əlaqələr İdarəsi", "Управление международных связей"),
    ("Customs Statistics Department", "Gömrük Statistikası İdarəsi", "Управление таможенной статистики"),
    (
        "Information Technology Department",
        "İnformasiya Texnologiyaları İdarəsi",
        "Управление информационных технологий",
    ),
    ("Human Resources Department", "Kadr İdarəsi", "Управление кадров"),
    ("Risk Management Department", "Risklərin İdarə Edilməsi İdarəsi", "Управление по управлению рисками"),
    ("Post-Clearance Audit Department", "Audit İdarəsi", "Управление таможенного постконтроля"),
    ("Excise Control Department", "Aksiz Nəzarəti İdarəsi", "Управление акцизного контроля"),
    ("Tariff Regulation Department", "Tarif Tənzimlənməsi İdarəsi", "Управление тарифного регулирования"),
    ("Investigation Department", "İstintaq İdarəsi", "Следственное управление"),
    ("Internal Security Department", "Daxili Təhlükəsizlik İdarəsi", "Управление внутренней безопасности"),
    ("Canine Service", "Kinoloji Xidmət", "Кинологическая служба"),
    ("Customs Academy", "Gömrük Akademiyası", "Таможенная академия"),
    ("Customs Hospital", "Gömrük Hospitalı", "Таможенный госпиталь"),
    ("Customs Expertise Centre", "Gömrük Ekspertizası Mərkəzi", "Центр таможенной экспертизы"),
    ("Citizens' Appeals Department", "Vətəndaş Müraciətləri İdarəsi", "Управление по работе с обращениями граждан"),
]

# Regional customs offices: "{city} Customs Office".
CITIES = [
    ("Baku", "Bakı", "Баку"),
    ("Sumgait", "Sumqayıt", "Сумгаит"),
    ("Ganja", "Gəncə", "Гянджа"),
    ("Shaki", "Şəki", "Шеки"),
    ("Lankaran", "Lənkəran", "Ленкорань"),
    ("Astara", "Astara", "Астара"),
    ("Nakhchivan", "Naxçıvan", "Нахчыван"),
    ("Guba", "Quba", "Губа"),
    ("Shamakhi", "Şamaxı", "Шемаха"),
    ("Mingachevir", "Mingəçevir", "Мингечевир"),
    ("Shirvan", "Şirvan", "Ширван"),
    ("Yevlakh", "Yevlax", "Евлах"),
    ("Gazakh", "Qazax", "Газах"),
    ("Agstafa", "Ağstafa", "Агстафа"),
    ("Balakan", "Balakən", "Балакен"),
    ("Zagatala", "Zaqatala", "Загатала"),
    ("Gabala", "Qəbələ", "Габала"),
    ("Bilasuvar", "Biləsuvar", "Билясувар"),
    ("Jalilabad", "Cəlilabad", "Джалилабад"),
    ("Salyan", "Salyan", "Сальяны"),
    ("Sabirabad", "Sabirabad", "Сабирабад"),
    ("Barda", "Bərdə", "Барда"),
    ("Aghdam", "Ağdam", "Агдам"),
    ("Shusha", "Şuşa", "Шуша"),
    ("Fuzuli", "Füzuli", "Физули"),
    ("Lachin", "Laçın", "Лачин"),
    ("Kalbajar", "Kəlbəcər", "Кельбаджар"),
    ("Khachmaz", "Xaçmaz", "Хачмаз"),
    ("Alat", "Ələt", "Алят"),
    ("Goychay", "Göyçay", "Гейчай"),
]
CUSTOMS_OFFICE = ("{city} Customs Office", "{city} Gömrük İdarəsi", "Таможенное управление «{city}»")
SIGNATURE = ("SCC {name}", "DGK-nin {name}", "{name} ГТК")

# Bodies that meet in sessions: "88th session of the WCO Policy Commission".
BODIES = [
    ("WCO Policy Commission", "ÜGT Siyasət Komissiyası", "Комиссия по политике ВТамО"),
    ("WCO Council", "ÜGT Şurası", "Совет ВТамО"),
    ("WCO Enforcement Committee", "ÜGT Hüquq Mühafizə Komitəsi", "Правоохранительный комитет ВТамО"),
    ("WCO Permanent Technical Committee", "ÜGT Daimi Texniki Komitəsi", "Постоянный технический комитет ВТамО"),
    (
        "CIS Council of Heads of Customs Services",
        "MDB Gömrük Xidmətləri Rəhbərləri Şurası",
        "Совет руководителей таможенных служб СНГ",
    ),
    ("OTS Customs Cooperation Committee", "TDT Gömrük Əməkdaşlığı Komitəsi", "Комитет таможенного сотрудничества ОТГ"),
    (
        "ECO Council of Heads of Customs Administrations",
        "İƏT Gömrük Administrasiyaları Rəhbərləri Şurası",
        "Совет руководителей таможенных администраций ОЭС",
    ),
    (
        "TRACECA Intergovernmental Commission",
        "TRASEKA Hökumətlərarası Komissiyası",
        "Межправительственная комиссия ТРАСЕКА",
    ),
    ("GUAM Customs Working Group", "GUAM Gömrük İşçi Qrupu", "Рабочая группа ГУАМ по таможенным вопросам"),
    ("EU–Azerbaijan Customs Subcommittee", "Aİ–Azərbaycan Gömrük Alt Komitəsi", "Таможенный подкомитет ЕС–Азербайджан"),
    (
        "Azerbaijan–Georgia Joint Customs Commission",
        "Azərbaycan–Gürcüstan Birgə Gömrük Komissiyası",
        "Совместная таможенная комиссия Азербайджан–Грузия",
    ),
    ("Caspian Customs Forum", "Xəzər Gömrük Forumu", "Каспийский таможенный форум"),
    ("Silk Road Customs Conference", "İpək Yolu Gömrük Konfransı", "Таможенная конференция «Шёлковый путь»"),
    (
        "Regional Intelligence Liaison Office",
        "Regional Kəşfiyyat Əlaqə Ofisi",
        "Региональный узел связи по правоохранительной деятельности",
    ),
    (
        "BSEC Working Group on Customs Matters",
        "QDİƏT Gömrük Məsələləri üzrə İşçi Qrupu",
        "Рабочая группа ОЧЭС по таможенным вопросам",
    ),
]

# (English, Azerbaijani, Russian, the ending of a Russian ordinal that agrees with it)
MEETING_KINDS = [
    ("session", "sessiya", "сессия", "я"),
    ("meeting", "iclas", "заседание", "е"),
    ("conference", "konfrans", "конференция", "я"),
    ("forum", "forum", "форум", "й"),
]

# (city, country) where events take place.
EVENT_PLACES = [
    (("Brussels", "Brüssel", "Брюссель"), ("Belgium", "Belçika", "Бельгия")),
    (("Baku", "Bakı", "Баку"), ("Azerbaijan", "Azərbaycan", "Азербайджан")),
    (("Istanbul", "İstanbul", "Стамбул"), ("Türkiye", "Türkiyə", "Турция")),
    (("Tbilisi", "Tbilisi", "Тбилиси"), ("Georgia", "Gürcüstan", "Грузия")),
    (("Tashkent", "Daşkənd", "Ташкент"), ("Uzbekistan", "Özbəkistan", "Узбекистан")),
    (("Astana", "Astana", "Астана"), ("Kazakhstan", "Qazaxıstan", "Казахстан")),
    (("Moscow", "Moskva", "Москва"), ("Russia", "Rusiya", "Россия")),
    (("Minsk", "Minsk", "Минск"), ("Belarus", "Belarus", "Беларусь")),
    (("Tehran", "Tehran", "Тегеран"), ("Iran", "İran", "Иран")),
    (("Ashgabat", "Aşqabad", "Ашхабад"), ("Turkmenistan", "Türkmənistan", "Туркменистан")),
    (("Vienna", "Vyana", "Вена"), ("Austria", "Avstriya", "Австрия")),
    (("Geneva", "Cenevrə", "Женева"), ("Switzerland", "İsveçrə", "Швейцария")),
    (("Beijing", "Pekin", "Пекин"), ("China", "Çin", "Китай")),
    (("Rome", "Roma", "Рим"), ("Italy", "İtaliya", "Италия")),
]
VENUES = [
    ("Conference centre", "Konfrans mərkəzi", "Конференц-центр"),
    ("Headquarters of the organisation", "Təşkilatın baş qərargahı", "Штаб-квартира организации"),
    ("Congress hall", "Konqres zalı", "Конгресс-холл"),
    ("Ministry of Foreign Affairs", "Xarici İşlər Nazirliyi", "Министерство иностранных дел"),
]
EVENT_DESCRIPTION = (
    "Heads and experts of customs administrations discuss {topic} and plan joint work for the coming year.",
    "Gömrük administrasiyalarının rəhbərləri və ekspertləri {topic} mövzusunu müzakirə edir "
    "və gələn il üçün birgə işi planlaşdırırlar.",
    "Руководители и эксперты таможенных администраций обсуждают тему «{topic}» "
    "и планируют совместную работу на следующий год.",
)

# People: (English, Azerbaijani, Russian, female); a woman's surname takes "a".
FIRST_NAMES = [
    ("Shahin", "Şahin", "Шахин", False),
    ("Aynur", "Aynur", "Айнур", True),
    ("Elnur", "Elnur", "Эльнур", False),
    ("Leyla", "Leyla", "Лейла", True),
    ("Rauf", "Rauf", "Рауф", False),
    ("Gunay", "Günay", "Гюнай", True),
    ("Kamran", "Kamran", "Камран", False),
    ("Narmin", "Nərmin", "Нармин", True),
    ("Tural", "Tural", "Турал", False),
    ("Sabina", "Səbinə", "Сабина", True),
    ("Orkhan", "Orxan", "Орхан", False),
    ("Aysel", "Aysel", "Айсель", True),
    ("Vugar", "Vüqar", "Вугар", False),
    ("Konul", "Könül", "Кёнуль", True),
    ("Elchin", "Elçin", "Эльчин", False),
    ("Fidan", "Fidan", "Фидан", True),
    ("Rashad", "Rəşad", "Рашад", False),
    ("Ulviyya", "Ülviyyə", "Ульвия", True),
    ("Namig", "Namiq", "Намиг", False),
    ("Zaur", "Zaur", "Заур", False),
]
SURNAMES = [
    ("Baghirov", "Bağırov", "Багиров"),
    ("Mammadov", "Məmmədov", "Мамедов"),
    ("Aliyev", "Əliyev", "Алиев"),
    ("Huseynov", "Hüseynov", "Гусейнов"),
    ("Guliyev", "Quliyev", "Кулиев"),
    ("Hasanov", "Həsənov", "Гасанов"),
    ("Ismayilov", "İsmayılov", "Исмаилов"),
    ("Rzayev", "Rzayev", "Рзаев"),
    ("Jafarov", "Cəfərov", "Джафаров"),
    ("Abbasov", "Abbasov", "Аббасов"),
    ("Nasirov", "Nəsirov", "Насиров"),
    ("Karimov", "Kərimov", "Каримов"),
    ("Valiyev", "Vəliyev", "Велиев"),
    ("Gasimov", "Qasımov", "Касимов"),
    ("Suleymanov", "Süleymanov", "Сулейманов"),
    ("Orujov", "Orucov", "Оруджев"),
    ("Safarov", "Səfərov", "Сафаров"),
    ("Babayev", "Babayev", "Бабаев"),
]
POSITIONS = [
    (
        "Chairman of the State Customs Committee",
        "Dövlət Gömrük Komitəsinin sədri",
        "Председатель Государственного таможенного комитета",
    ),
    (
        "Deputy Chairman of the State Customs Committee",
        "Dövlət Gömrük Komitəsi sədrinin müavini",
        "Заместитель председателя Государственного таможенного комитета",
    ),
    (
        "Head of the International Relations Department",
        "Beynəlxalq Əlaqələr İdarəsinin rəisi",
        "Начальник Управления международных связей",
    ),
    (
        "Head of the Anti-Smuggling Department",
        "Qaçaqmalçılıqla Mübarizə Baş İdarəsinin rəisi",
        "Начальник Главного управления по борьбе с контрабандой",
    ),
    (
        "Head of a regional customs office",
        "Regional gömrük idarəsinin rəisi",
        "Начальник регионального таможенного управления",
    ),
    ("Senior inspector", "Baş müfəttiş", "Старший инспектор"),
    ("Chief specialist", "Baş mütəxəssis", "Главный специалист"),
    ("Adviser to the Chairman", "Sədrin müşaviri", "Советник председателя"),
]
RANKS = [
    (
        "lieutenant-general of the customs service",
        "gömrük xidməti general-leytenantı",
        "генерал-лейтенант таможенной службы",
    ),
    ("major-general of the customs service", "gömrük xidməti general-mayoru", "генерал-майор таможенной службы"),
    ("colonel of the customs service", "gömrük xidməti polkovniki", "полковник таможенной службы"),
    (
        "lieutenant-colonel of the customs service",
        "gömrük xidməti polkovnik-leytenantı",
        "подполковник таможенной службы",
    ),
    ("major of the customs service", "gömrük xidməti mayoru", "майор таможенной службы"),
]

WITHDRAWAL_REASONS = [
    "Issued in error.",
    "Replaced by a corrected release.",
    "Withdrawn at the request of the partner organisation.",
    "The figures given were inaccurate.",
]
