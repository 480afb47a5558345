"""Demo content for ``manage.py load_demo``: a regional newsroom in Kazakh, some of it in ru/en.

Body blocks are tuples: ``("p", text)`` a paragraph, ``("h", text)`` a heading,
``("q", text, speaker, role)`` a quote. A translation lists the same blocks in
the same order, without the type: a string for "p"/"h", a 3-tuple for "q".
Every key is stable: ``load_demo`` finds what it already made by these keys.
"""

CREDIT = {
    "kk": "Newsdesk демо-графикасы",
    "ru": "Демо-графика Newsdesk",
    "en": "Newsdesk demo graphic",
}

# Every demo image's rights (news.image_rights): drawn by the demo, free of any right.
IMAGE_RIGHTS = {
    "credit": "Newsdesk",
    "licence": "cc0-1.0",
    "source_url": "https://creativecommons.org/publicdomain/zero/1.0/",
}

HOME = {
    "kk": {
        "title": "Басты бет",
        "slug": "home",
        "intro": (
            "Алматы облысының жаңалықтары: экономика, білім, мәдениет және халықаралық байланыстар."
        ),
    },
    "ru": {
        "title": "Главная",
        "slug": "главная",
        "intro": (
            "Новости Алматинской области: экономика, образование, культура и международные связи."
        ),
    },
    "en": {
        "title": "Home",
        "slug": "home-en",
        "intro": (
            "News from Almaty Region: the economy, education, culture and international relations."
        ),
    },
}

NEWS_INDEX = {
    "kk": {"title": "Жаңалықтар", "slug": "zhanalyqtar", "intro": "Облыстың соңғы жаңалықтары."},
    "ru": {"title": "Новости", "slug": "новости", "intro": "Последние новости области."},
    "en": {"title": "News", "slug": "news", "intro": "The latest news from the region."},
}

# slug (stable key) -> name in kk, ru, en (and the ru/en slugs).
TOPICS = {
    "ekonomika": {
        "kk": "Экономика",
        "ru": ("Экономика", "экономика"),
        "en": ("Economy", "economy"),
    },
    "auyl-sharuashylygy": {
        "kk": "Ауыл шаруашылығы",
        "ru": ("Сельское хозяйство", "сельское-хозяйство"),
        "en": ("Agriculture", "agriculture"),
    },
    "bilim": {
        "kk": "Білім",
        "ru": ("Образование", "образование"),
        "en": ("Education", "education"),
    },
    "densaulyq": {
        "kk": "Денсаулық",
        "ru": ("Здравоохранение", "здравоохранение"),
        "en": ("Health", "health"),
    },
    "madeniet": {"kk": "Мәдениет", "ru": ("Культура", "культура"), "en": ("Culture", "culture")},
    "halyqaralyq": {
        "kk": "Халықаралық байланыстар",
        "ru": ("Международные связи", "международные-связи"),
        "en": ("International relations", "international-relations"),
    },
    "infraqurylym": {
        "kk": "Инфрақұрылым",
        "ru": ("Инфраструктура", "инфраструктура"),
        "en": ("Infrastructure", "infrastructure"),
    },
    "turizm": {"kk": "Туризм", "ru": ("Туризм", "туризм"), "en": ("Tourism", "tourism")},
}

SEED = {
    "slug": "bailanystar-men-perspektivalardy-nygaitu",
    "date": "2024-06-14",
    "lead": (
        "Алматы облысының әкімі Марат Сұлтанғазиев Жапонияның Қазақстандағы Елшісі "
        "Джун Ямадамен экономикалық және мәдени ынтымақтастықты талқылады."
    ),
    "caption": "Алматы облысы әкімдігіндегі кездесу (демо-сурет)",
    "topics": ["halyqaralyq", "ekonomika", "auyl-sharuashylygy"],
    "label": "ALMATY REGION - JAPAN",
    "palette": ((188, 32, 45), (245, 236, 220)),
}

# The news items. "translations" are real translations made through wagtail-localize;
# "outdated" edits the Kazakh source after the ru translation (so it goes out of date);
# "draft" is a translation saved but never published (only some strings done).
ARTICLES = [
    {
        "slug": "qonaevta-zhana-mektep-ashyldy",
        "days_ago": 3,
        "topics": ["bilim"],
        "related": ["qonaevta-it-mektep"],
        "label": "QONAEV - SCHOOL",
        "palette": ((20, 84, 148), (120, 190, 230)),
        "title": "Қонаевта 1200 орындық жаңа мектеп ашылды",
        "lead": "Облыс орталығындағы жаңа мектеп қыркүйектен бастап оқушыларды қабылдайды.",
        "caption": "Жаңа мектептің ғимараты (демо-сурет)",
        "body": [
            (
                "p",
                "Қонаев қаласының шағын ауданында 1200 оқушыға арналған үш қабатты мектеп "
                "пайдалануға берілді. Ғимаратта робототехника кабинеті, спорт залы және 300 "
                "орындық акт залы бар.",
            ),
            (
                "q",
                "Жаңа мектеп ауысымдық оқуды азайтуға көмектеседі. Келесі жылы облыста тағы бес "
                "мектеп салу жоспарланған",
                "Әсел Жұмабекова",
                "Алматы облысы білім басқармасының басшысы",
            ),
            (
                "p",
                "Мектеп құрылысы «Жайлы мектеп» ұлттық жобасы аясында жүргізілді. Құрылыс "
                "жұмыстары он төрт айға созылды.",
            ),
            (
                "q",
                "Балаларым енді үйдің жанындағы мектепке барады. Бұрын күнде автобуспен қалаға "
                "қатынайтын",
                "Гүлмира Сейітова",
                "ата-ана",
            ),
        ],
        "translations": {
            "ru": {
                "title": "В Конаеве открылась новая школа на 1200 мест",
                "slug": "в-конаеве-открылась-новая-школа",
                "lead": "Новая школа в областном центре начнёт принимать учеников с сентября.",
                "caption": "Здание новой школы (демо-иллюстрация)",
                "body": [
                    "В микрорайоне Конаева введена в эксплуатацию трёхэтажная школа на 1200 "
                    "учеников. В здании есть кабинет робототехники, спортивный зал и актовый "
                    "зал на 300 мест.",
                    (
                        "Новая школа поможет сократить обучение в несколько смен. В следующем "
                        "году в области планируется построить ещё пять школ",
                        "Асель Жумабекова",
                        "руководитель управления образования Алматинской области",
                    ),
                    "Школа построена в рамках национального проекта «Комфортная школа». "
                    "Строительство длилось четырнадцать месяцев.",
                    (
                        "Теперь мои дети ходят в школу рядом с домом. Раньше каждый день ездили "
                        "в город на автобусе",
                        "Гульмира Сеитова",
                        "мать двоих учеников",
                    ),
                ],
            },
            "en": {
                "title": "A new 1,200-place school opens in Qonaev",
                "slug": "new-school-opens-in-qonaev",
                "lead": "The new school in the regional centre will take its first pupils in "
                "September.",
                "caption": "The new school building (demo illustration)",
                "body": [
                    "A three-storey school for 1,200 pupils has opened in a residential district "
                    "of Qonaev. It has a robotics classroom, a sports hall and a 300-seat "
                    "assembly hall.",
                    (
                        "The new school will help us cut down on teaching in shifts. Five more "
                        "schools are planned in the region next year",
                        "Asel Zhumabekova",
                        "Head of the Almaty Region Education Department",
                    ),
                    "The school was built under the national “Comfortable School” project. "
                    "Construction took fourteen months.",
                    (
                        "My children can now walk to a school next to home. Before, they took "
                        "the bus into town every day",
                        "Gulmira Seitova",
                        "parent",
                    ),
                ],
            },
        },
    },
    {
        "slug": "talgarda-alma-festivali-otti",
        "days_ago": 9,
        "topics": ["madeniet", "auyl-sharuashylygy"],
        "related": ["zhuzim-onimi-rekordtyq", "zhas-fermerlerge-grant"],
        "label": "TALGAR - APPLE FESTIVAL",
        "palette": ((170, 30, 40), (250, 200, 90)),
        "title": "Талғарда алма фестивалі өтті",
        "lead": "Апорт алмасының отанында өткен фестивальге он мыңнан астам қонақ келді.",
        "caption": "Фестивальдегі алма жәрмеңкесі (демо-сурет)",
        "body": [
            (
                "p",
                "Талғар қаласында дәстүрлі алма фестивалі өтті. Жәрмеңкеде облыстың отыздан "
                "астам бағбан шаруашылығы өнімін ұсынды.",
            ),
            ("h", "Апортты қайта жаңғырту"),
            (
                "q",
                "Апорт – Алматының визит карточкасы. Соңғы үш жылда облыста апорт бағының "
                "көлемі екі есе ұлғайды",
                "Ерлан Тоқтарбаев",
                "Талғар ауданының әкімі",
            ),
            (
                "p",
                "Фестиваль аясында шеберлік сабақтары, балалар концерті және ең үлкен алма "
                "байқауы ұйымдастырылды.",
            ),
        ],
        # After the ru translation is published, the desk adds a sentence to the source:
        # the ru translation goes out of date; the en one is made afterwards, in sync.
        "outdated": {
            "language": "ru",
            "block": 3,
            "text": "Фестиваль аясында шеберлік сабақтары, балалар концерті және ең үлкен алма "
            "байқауы ұйымдастырылды. Байқау жеңімпазының алмасы 720 грамм тартты.",
        },
        "translations": {
            "ru": {
                "title": "В Талгаре прошёл фестиваль яблок",
                "slug": "в-талгаре-прошёл-фестиваль-яблок",
                "lead": "Фестиваль на родине апорта посетили более десяти тысяч гостей.",
                "caption": "Яблочная ярмарка на фестивале (демо-иллюстрация)",
                "body": [
                    "В Талгаре прошёл традиционный фестиваль яблок. На ярмарке свою продукцию "
                    "представили более тридцати садоводческих хозяйств области.",
                    "Возрождение апорта",
                    (
                        "Апорт – визитная карточка Алматы. За последние три года площадь "
                        "апортовых садов в области выросла вдвое",
                        "Ерлан Токтарбаев",
                        "аким Талгарского района",
                    ),
                    "В рамках фестиваля прошли мастер-классы, детский концерт и конкурс на "
                    "самое большое яблоко.",
                ],
            },
            "en": {
                "title": "Talgar holds its apple festival",
                "slug": "talgar-apple-festival",
                "lead": "More than ten thousand visitors came to the festival in the home of "
                "the Aport apple.",
                "caption": "The apple fair at the festival (demo illustration)",
                "body": [
                    "Talgar has held its traditional apple festival. More than thirty orchards "
                    "from across the region showed their produce at the fair.",
                    "Bringing the Aport back",
                    (
                        "The Aport is Almaty’s calling card. In the last three years the area "
                        "of Aport orchards in the region has doubled",
                        "Yerlan Toktarbayev",
                        "Akim of Talgar District",
                    ),
                    "The festival included workshops, a children’s concert and a contest for "
                    "the biggest apple. The winning apple weighed 720 grams.",
                ],
            },
        },
    },
    {
        "slug": "alatauda-bilim-klasteri",
        "days_ago": 15,
        "topics": ["bilim", "halyqaralyq"],
        "label": "ALATAU - EDUCATION CLUSTER",
        "palette": ((40, 60, 120), (200, 170, 250)),
        "title": "Алатау қаласында білім беру кластері құрылады",
        "lead": "Жаңа қалада университеттер мен ғылыми орталықтар бір аумаққа шоғырланады.",
        "caption": "Болашақ кластердің жобасы (демо-сурет)",
        "body": [
            (
                "p",
                "Алатау қаласының бас жоспарына халықаралық білім беру кластері енгізілді. Онда "
                "үш университеттің филиалы мен технопарк орналасады.",
            ),
            (
                "q",
                "Біз шетелдік серіктестермен бірге жастарға заманауи білім беретін орта "
                "құрғымыз келеді",
                "Нұрлан Әбдіров",
                "Алатау қаласы әкімінің орынбасары",
            ),
            ("p", "Кластердің алғашқы кезеңі 2027 жылға дейін салынады деп күтілуде."),
        ],
        "translations": {
            "ru": {
                "title": "В городе Алатау создадут образовательный кластер",
                "slug": "в-алатау-создадут-образовательный-кластер",
                "lead": "Университеты и научные центры нового города соберут на одной территории.",
                "caption": "Проект будущего кластера (демо-иллюстрация)",
                "body": [
                    "В генеральный план города Алатау включён международный образовательный "
                    "кластер. В нём разместятся филиалы трёх университетов и технопарк.",
                    (
                        "Вместе с зарубежными партнёрами мы хотим создать среду, которая даёт "
                        "молодёжи современное образование",
                        "Нурлан Абдиров",
                        "заместитель акима города Алатау",
                    ),
                    "Первую очередь кластера ожидается построить до 2027 года.",
                ],
            },
            "en": {
                "title": "Alatau city to build an education cluster",
                "slug": "alatau-education-cluster",
                "lead": "Universities and research centres of the new city will share one campus.",
                "caption": "A design for the future cluster (demo illustration)",
                "body": [
                    "An international education cluster has been added to the master plan of "
                    "Alatau city. It will house branches of three universities and a "
                    "technology park.",
                    (
                        "Together with partners from abroad we want to build a place where young "
                        "people get a modern education",
                        "Nurlan Abdirov",
                        "Deputy Akim of Alatau",
                    ),
                    "The first phase of the cluster is expected to be built by 2027.",
                ],
            },
        },
    },
    {
        "slug": "esik-almaty-zholy-zhondeuden-otedi",
        "days_ago": 21,
        "topics": ["infraqurylym"],
        "label": "ESIK - ALMATY ROAD",
        "palette": ((60, 60, 70), (240, 180, 40)),
        "title": "Есік – Алматы жолы жөндеуден өтеді",
        "lead": "Жөндеу кезінде көлік қозғалысы бір жолақпен жүреді.",
        "caption": "Жөндеу басталған жол учаскесі (демо-сурет)",
        "body": [
            (
                "p",
                "Есік пен Алматыны байланыстыратын 42 шақырымдық жолды қайта жаңарту басталды. "
                "Жол төрт жолақты болып кеңейтіледі.",
            ),
            (
                "q",
                "Жұмыстың негізгі бөлігі түнгі уақытта жүргізіледі, сондықтан жүргізушілерге "
                "кедергі аз болады",
                "Бақыт Оспанов",
                "облыстық автомобиль жолдары басқармасының басшысы",
            ),
            ("p", "Мердігер жұмысты келесі жылдың күзіне дейін аяқтауға міндеттенді."),
        ],
        "translations": {
            "ru": {
                "title": "Дорогу Есик – Алматы отремонтируют",
                "slug": "дорогу-есик-алматы-отремонтируют",
                "lead": "На время ремонта движение будет идти по одной полосе.",
                "caption": "Участок дороги, где начался ремонт (демо-иллюстрация)",
                "body": [
                    "Началась реконструкция 42-километровой дороги между Есиком и Алматы. "
                    "Дорогу расширят до четырёх полос.",
                    (
                        "Основную часть работ будем вести ночью, поэтому помех для водителей "
                        "будет меньше",
                        "Бакыт Оспанов",
                        "руководитель областного управления автомобильных дорог",
                    ),
                    "Подрядчик обязался завершить работы к осени следующего года.",
                ],
            },
        },
    },
    {
        "slug": "qaskelende-zhana-emhana",
        "days_ago": 27,
        "topics": ["densaulyq"],
        "label": "KASKELEN - CLINIC",
        "palette": ((10, 120, 110), (220, 245, 240)),
        "title": "Қаскеленде жаңа емхана ашылды",
        "lead": "Емхана тәулігіне 500 келушіге қызмет көрсетеді.",
        "caption": "Жаңа емхананың қабылдау бөлімі (демо-сурет)",
        "body": [
            (
                "p",
                "Қаскелен қаласында 500 келушіге арналған емхана ашылды. Мұнда компьютерлік "
                "томограф пен маммограф орнатылған.",
            ),
            (
                "q",
                "Енді тұрғындар күрделі тексерулер үшін Алматыға барудың қажеті жоқ",
                "Дана Құрманова",
                "емхананың бас дәрігері",
            ),
            ("p", "Емханада отбасылық дәрігерлердің он екі учаскесі жұмыс істейді."),
            (
                "q",
                "Жаңа емхананы жас мамандармен толықтыру үшін оларға тұрғын үй беріледі",
                "Серік Әлімов",
                "Қарасай ауданы әкімінің орынбасары",
            ),
        ],
        "translations": {
            "ru": {
                "title": "В Каскелене открылась новая поликлиника",
                "slug": "в-каскелене-открылась-поликлиника",
                "lead": "Поликлиника будет принимать 500 посетителей в день.",
                "caption": "Регистратура новой поликлиники (демо-иллюстрация)",
                "body": [
                    "В Каскелене открылась поликлиника на 500 посещений. Здесь установлены "
                    "компьютерный томограф и маммограф.",
                    (
                        "Теперь жителям не нужно ездить в Алматы на сложные обследования",
                        "Дана Курманова",
                        "главный врач поликлиники",
                    ),
                    "В поликлинике работают двенадцать участков семейных врачей.",
                    (
                        "Чтобы привлечь в новую поликлинику молодых специалистов, им дадут жильё",
                        "Серик Алимов",
                        "заместитель акима Карасайского района",
                    ),
                ],
            },
        },
    },
    {
        "slug": "ile-alatau-parkine-keluwshiler-artty",
        "days_ago": 33,
        "topics": ["turizm"],
        "label": "ILE-ALATAU NATIONAL PARK",
        "palette": ((30, 110, 60), (180, 220, 250)),
        "title": "Іле Алатауы ұлттық паркіне келушілер саны артты",
        "lead": "Жаз айларында паркке 400 мыңнан астам турист келді.",
        "caption": "Үлкен Алматы көлі (демо-сурет)",
        "body": [
            (
                "p",
                "Іле Алатауы ұлттық паркіне келушілер саны былтырмен салыстырғанда 18 пайызға "
                "өсті. Ең танымал бағыт – Үлкен Алматы көлі.",
            ),
            (
                "q",
                "Табиғатқа жүктемені азайту үшін біз электронды билет пен күнделікті квота "
                "енгіздік",
                "Асқар Бекмұхамбетов",
                "Іле Алатауы ұлттық паркінің директоры",
            ),
            ("h", "Жаңа соқпақтар"),
            ("p", "Паркте үш жаңа экологиялық соқпақ пен екі бақылау алаңы салынды."),
        ],
        "translations": {
            "ru": {
                "title": "Число посетителей Иле-Алатауского нацпарка выросло",
                "slug": "посетителей-иле-алатауского-парка-стало-больше",
                "lead": "За летние месяцы парк посетили более 400 тысяч туристов.",
                "caption": "Большое Алматинское озеро (демо-иллюстрация)",
                "body": [
                    "Число посетителей Иле-Алатауского национального парка выросло на 18 "
                    "процентов по сравнению с прошлым годом. Самый популярный маршрут – "
                    "Большое Алматинское озеро.",
                    (
                        "Чтобы снизить нагрузку на природу, мы ввели электронные билеты и "
                        "ежедневную квоту",
                        "Аскар Бекмухамбетов",
                        "директор Иле-Алатауского национального парка",
                    ),
                    "Новые тропы",
                    "В парке проложены три новые экологические тропы и построены две смотровые "
                    "площадки.",
                ],
            },
        },
    },
    {
        "slug": "zhapon-investorlary-qonaevta",
        "days_ago": 40,
        "topics": ["halyqaralyq", "ekonomika"],
        "related": ["bailanystar-men-perspektivalardy-nygaitu"],
        "label": "QONAEV - INVESTORS",
        "palette": ((120, 20, 60), (250, 230, 235)),
        "title": "Жапон инвесторлары Қонаевтағы арнайы экономикалық аймақты аралады",
        "lead": "Делегация тамақ өнеркәсібі мен логистика жобаларымен танысты.",
        "caption": "Арнайы экономикалық аймақтың аумағы (демо-сурет)",
        "body": [
            (
                "p",
                "Жапониядан келген іскерлер делегациясы Қонаев қаласындағы арнайы экономикалық "
                "аймақта болды. Қонақтар тамақ өнеркәсібі мен логистика жобаларымен танысты.",
            ),
            (
                "q",
                "Аймақтың инфрақұрылымы мен салық жеңілдіктері біз үшін тартымды",
                "Кэндзи Сато",
                "жапон компаниялары қауымдастығының өкілі",
            ),
            (
                "p",
                "Кездесу қорытындысы бойынша екі өзара түсіністік меморандумына қол қойылды.",
            ),
        ],
        "translations": {
            "en": {
                "title": "Japanese investors visit the special economic zone in Qonaev",
                "slug": "japanese-investors-visit-qonaev",
                "lead": "The delegation looked at food-processing and logistics projects.",
                "caption": "The grounds of the special economic zone (demo illustration)",
                "body": [
                    "A business delegation from Japan has visited the special economic zone in "
                    "Qonaev. The guests were shown food-processing and logistics projects.",
                    (
                        "The zone’s infrastructure and its tax breaks are attractive to us",
                        "Kenji Sato",
                        "representative of an association of Japanese companies",
                    ),
                    "Two memoranda of understanding were signed at the end of the visit.",
                ],
            },
        },
    },
    {
        "slug": "zhuzim-onimi-rekordtyq",
        "days_ago": 46,
        "topics": ["auyl-sharuashylygy"],
        "label": "VINEYARDS - RECORD HARVEST",
        "palette": ((90, 30, 100), (200, 230, 140)),
        "title": "Облыста жүзім өнімі рекордтық деңгейге жетті",
        "lead": "Биыл облыс бағбандары 60 мың тоннадан астам жүзім жинады.",
        "caption": "Еңбекшіқазақ ауданындағы жүзімдік (демо-сурет)",
        "body": [
            (
                "p",
                "Алматы облысында жүзім өнімі былтырғыдан 12 пайызға артық жиналды. Өнімнің "
                "үштен бірі шетелге экспортталады.",
            ),
            (
                "q",
                "Тамшылатып суару жүйесін енгізген шаруашылықтардың өнімі екі есе жоғары",
                "Мұрат Сыздықов",
                "облыстық ауыл шаруашылығы басқармасының басшысы",
            ),
            ("p", "Еңбекшіқазақ ауданында жаңа шарап зауыты салынып жатыр."),
        ],
        # An English translation started but not finished: saved as a draft, never published.
        "draft": {
            "en": {
                "title": "Grape harvest in the region hits a record",
                "slug": "record-grape-harvest",
                "lead": "Growers in the region picked more than 60,000 tonnes of grapes this year.",
                "body": [
                    "The grape harvest in Almaty Region is 12 per cent larger than last year. A "
                    "third of it is exported.",
                ],
            },
        },
    },
    {
        "slug": "qapshagay-zhagalauy-abattandyrylady",
        "days_ago": 52,
        "topics": ["infraqurylym", "turizm"],
        "label": "KAPSHAGAY - WATERFRONT",
        "palette": ((0, 90, 160), (240, 220, 170)),
        "title": "Қапшағай су қоймасының жағалауы абаттандырылады",
        "lead": "Жағалауда жаяу жүргіншілер жолы мен жағажайлар салынады.",
        "caption": "Қапшағай су қоймасының жағалауы (демо-сурет)",
        "body": [
            (
                "p",
                "Қонаев қаласы маңындағы Қапшағай су қоймасының жағалауын абаттандыру жобасы "
                "бекітілді. Жоба бес шақырымдық жаяу жүргіншілер жолын қамтиды.",
            ),
            (
                "q",
                "Жағажайлар барлығына тегін әрі қолжетімді болады",
                "Айгүл Мұқанова",
                "Қонаев қаласының сәулетшісі",
            ),
            ("p", "Алғашқы учаске келесі маусымда ашылады."),
        ],
    },
    {
        "slug": "zhas-fermerlerge-grant",
        "days_ago": 58,
        "topics": ["auyl-sharuashylygy", "ekonomika"],
        "label": "YOUNG FARMERS - GRANTS",
        "palette": ((110, 140, 30), (250, 240, 190)),
        "title": "Жас фермерлерге 300 грант бөлінді",
        "lead": "Гранттар жылыжай, бау-бақша және мал шаруашылығы жобаларына беріледі.",
        "caption": "Жас фермердің жылыжайы (демо-сурет)",
        "body": [
            (
                "p",
                "Облыста «Жас фермер» бағдарламасы бойынша 300 грант бөлінді. Әр грант үш "
                "миллион теңгеге дейін жетеді.",
            ),
            (
                "q",
                "Гранттың арқасында жылыжай салып, қыста да қияр өсіре аламын",
                "Дәурен Қасымов",
                "Ұйғыр ауданының фермері",
            ),
            ("h", "Өтінім қалай беріледі"),
            (
                "p",
                "Өтінімдер электрондық үкімет порталы арқылы желтоқсан соңына дейін қабылданады.",
            ),
        ],
    },
    {
        "slug": "uzynagashta-muragat-zhanartyldy",
        "days_ago": 64,
        "topics": ["madeniet"],
        "label": "UZYNAGASH - MUSEUM",
        "palette": ((130, 80, 40), (245, 225, 190)),
        "title": "Ұзынағашта Жамбыл Жабаев мұражайы жаңартылды",
        "lead": "Мұражайда ақынның қолжазбалары мен домбырасы жаңа залда көрмеге қойылды.",
        "caption": "Мұражайдың жаңа экспозиция залы (демо-сурет)",
        "body": [
            (
                "p",
                "Жамбыл ауданындағы әдеби-мемориалдық мұражай жөндеуден кейін келушілерге "
                "есігін ашты. Экспозиция интерактивті экрандармен толықтырылды.",
            ),
            (
                "q",
                "Біз жастар ақынның шығармашылығын жаңа форматта тануын қаладық",
                "Ләззат Оразбаева",
                "мұражай директоры",
            ),
            ("p", "Мұражайға кіру оқушылар үшін тегін."),
        ],
    },
    {
        "slug": "balalar-auruhanasyna-zhana-zhabdyq",
        "days_ago": 70,
        "topics": ["densaulyq"],
        "label": "CHILDREN'S HOSPITAL",
        "palette": ((200, 90, 120), (250, 235, 240)),
        "title": "Облыстық балалар ауруханасына жаңа жабдық алынды",
        "lead": "Жаңа жабдық шала туған нәрестелерге көмек көрсетуге арналған.",
        "caption": "Реанимация бөлімі (демо-сурет)",
        "body": [
            (
                "p",
                "Облыстық балалар ауруханасына он екі кювез бен екі жасанды тыныс алу аппараты "
                "жеткізілді.",
            ),
            (
                "q",
                "Бұл жабдық күн сайын бірнеше нәрестенің өмірін сақтап қалуға мүмкіндік береді",
                "Бауыржан Ермеков",
                "аурухананың бас дәрігері",
            ),
            ("p", "Жабдық облыстық бюджет есебінен сатып алынды."),
        ],
    },
    {
        "slug": "balqash-audanynda-kun-stansasy",
        "days_ago": 76,
        "topics": ["infraqurylym", "ekonomika"],
        "label": "BALKHASH - SOLAR PLANT",
        "palette": ((240, 150, 20), (40, 70, 140)),
        "title": "Балқаш ауданында күн электр стансасы іске қосылды",
        "lead": "Қуаты 50 мегаватт станса он мыңдай үйді электрмен қамтамасыз етеді.",
        "caption": "Күн панельдері (демо-сурет)",
        "body": [
            (
                "p",
                "Балқаш ауданында қуаты 50 мегаватт күн электр стансасы іске қосылды. Жобаға "
                "шетелдік инвесторлар қатысты.",
            ),
            (
                "q",
                "Станса жергілікті тұрғындар үшін 80 жұмыс орнын ашты",
                "Талғат Исаев",
                "жоба жетекшісі",
            ),
            ("p", "Келесі жылы стансаның екінші кезегі салынады."),
        ],
    },
    {
        "slug": "oqityn-oblys-aptalygy",
        "days_ago": 82,
        "topics": ["madeniet", "bilim"],
        "label": "READING WEEK",
        "palette": ((70, 40, 110), (250, 220, 150)),
        "title": "Ауылдық кітапханаларда «Оқитын облыс» апталығы басталды",
        "lead": "Апталық аясында 200-ден астам ауылдық кітапханада кездесулер өтеді.",
        "caption": "Ауылдық кітапхана (демо-сурет)",
        "body": [
            (
                "p",
                "Облыстың ауылдық кітапханаларында «Оқитын облыс» апталығы басталды. Оқырмандар "
                "жазушылармен кездеседі.",
            ),
            (
                "q",
                "Кітапхана – ауылдағы ең жылы орын, балалар мұнда өз еркімен келеді",
                "Роза Сәрсенова",
                "Еңбекшіқазақ аудандық кітапханасының меңгерушісі",
            ),
            ("p", "Апталық соңында ең белсенді оқырмандар марапатталады."),
        ],
    },
    {
        "slug": "25-auylga-taza-su",
        "days_ago": 88,
        "topics": ["infraqurylym"],
        "label": "CLEAN WATER - 25 VILLAGES",
        "palette": ((10, 100, 170), (200, 235, 250)),
        "title": "25 ауылға таза ауыз су жеткізілді",
        "lead": "Жаңа су құбырлары 40 мыңнан астам тұрғынды таза сумен қамтамасыз етті.",
        "caption": "Жаңа су тарату желісі (демо-сурет)",
        "body": [
            (
                "p",
                "Биыл облыстың 25 ауылында су құбырлары салынып, қайта жаңартылды. Жұмыстар "
                "«Ауыл – ел бесігі» жобасы аясында жүргізілді.",
            ),
            (
                "q",
                "Бұрын суды құдықтан тасушы едік, енді су үйге келді",
                "Күләш Ахметова",
                "Көлді ауылының тұрғыны",
            ),
            ("p", "Келесі жылы тағы 18 ауылға су құбыры тартылады."),
        ],
    },
    {
        "slug": "koreya-seriktesterimen-kelisim",
        "days_ago": 94,
        "topics": ["halyqaralyq", "densaulyq"],
        "label": "MEDICAL TOURISM - KOREA",
        "palette": ((0, 60, 130), (230, 60, 70)),
        "title": "Оңтүстік кореялық серіктестермен медициналық туризм туралы келісім жасалды",
        "lead": "Келісім дәрігерлердің тағылымдамасы мен бірлескен клиника ашуды қарастырады.",
        "caption": "Келісімге қол қою рәсімі (демо-сурет)",
        "body": [
            (
                "p",
                "Облыс әкімдігі мен Оңтүстік Кореяның медициналық орталығы ынтымақтастық "
                "туралы келісімге қол қойды.",
            ),
            (
                "q",
                "Жыл сайын облыстың жиырма дәрігері Сеулде тағылымдамадан өтеді",
                "Жанар Бейсенова",
                "облыстық денсаулық сақтау басқармасының басшысы",
            ),
            ("p", "Бірлескен клиниканың жобасы келесі жылы әзірленеді."),
        ],
    },
    {
        "slug": "zhylqy-eti-eksporty-osti",
        "days_ago": 100,
        "topics": ["auyl-sharuashylygy", "halyqaralyq"],
        "related": ["bailanystar-men-perspektivalardy-nygaitu", "zhapon-investorlary-qonaevta"],
        "label": "EXPORTS - HORSE MEAT",
        "palette": ((120, 50, 30), (240, 210, 170)),
        "title": "Облыстан жылқы етінің экспорты өсті",
        "lead": "Жапония мен Оңтүстік Кореяға жөнелтілген ет көлемі жарты жылда екі есе артты.",
        "caption": "Ет өңдеу кәсіпорны (демо-сурет)",
        "body": [
            (
                "p",
                "Алматы облысының кәсіпорындары жыл басынан бері 900 тонна жылқы етін экспортқа "
                "шығарды.",
            ),
            (
                "q",
                "Жапон сатып алушылары сапа стандарттарына өте қатаң қарайды, біз оларға сай "
                "болу үшін зертхана аштық",
                "Ғалым Нұрпейісов",
                "ет өңдеу кәсіпорнының директоры",
            ),
            ("h", "Жаңа нарықтар"),
            ("p", "Келесі жылы Біріккен Араб Әмірліктеріне жеткізу басталады деп күтілуде."),
        ],
    },
    {
        "slug": "qonaevta-it-mektep",
        "days_ago": 106,
        "topics": ["bilim", "ekonomika"],
        "label": "QONAEV - IT SCHOOL",
        "palette": ((20, 20, 40), (60, 200, 160)),
        "title": "Қонаевта жастарға арналған IT-мектеп ашылды",
        "lead": "Мектепте бағдарламалау курстары тегін өтеді.",
        "caption": "IT-мектептің сыныбы (демо-сурет)",
        "body": [
            (
                "p",
                "Қонаев қаласында 14–18 жастағы жасөспірімдерге арналған IT-мектеп ашылды. "
                "Алғашқы ағымға 120 оқушы қабылданды.",
            ),
            (
                "q",
                "Біздің мақсатымыз – жастарды өңірде ұстап қалу және оларға жұмыс табуға көмектесу",
                "Арман Жақыпов",
                "IT-мектеп директоры",
            ),
            ("p", "Оқу бағдарламасы ірі IT-компаниялармен бірге әзірленді."),
        ],
    },
    {
        "slug": "qolonershiler-zharmenkesi",
        "days_ago": 112,
        "topics": ["madeniet", "ekonomika"],
        "label": "CRAFTS FAIR",
        "palette": ((160, 40, 90), (250, 210, 120)),
        "title": "Қолөнер шеберлерінің жәрмеңкесі өтті",
        "lead": "Жәрмеңкеге облыстың барлық ауданынан 150 шебер қатысты.",
        "caption": "Киіз бұйымдар көрмесі (демо-сурет)",
        "body": [
            (
                "p",
                "Қонаев қаласында қолөнер шеберлерінің облыстық жәрмеңкесі өтті. Шеберлер киіз, "
                "зергерлік бұйымдар мен ағаш оюын ұсынды.",
            ),
            (
                "q",
                "Жәрмеңке бізге туристермен тікелей жұмыс істеуге мүмкіндік береді",
                "Салтанат Ибраева",
                "киіз басу шебері",
            ),
            ("p", "Жәрмеңке енді жыл сайын күзде өткізіледі."),
        ],
    },
    {
        "slug": "sel-qaupine-qarsy-bogetter",
        "days_ago": 118,
        "topics": ["infraqurylym"],
        "label": "MUDFLOW DEFENCES",
        "palette": ((80, 90, 100), (170, 200, 220)),
        "title": "Сел қаупі бар аймақтарда бөгеттер нығайтылды",
        "lead": "Тау бөктеріндегі алты ауылдың маңында қорғаныс құрылыстары жаңартылды.",
        "caption": "Тау өзеніндегі бөгет (демо-сурет)",
        "body": [
            (
                "p",
                "Төтенше жағдайлар департаменті Іле Алатауы бөктеріндегі алты ауылдың маңында "
                "сел бөгеттерін нығайтты.",
            ),
            (
                "q",
                "Көктемгі су тасқынына дейін барлық бөгеттер тексеруден өтеді",
                "Қайрат Мәмбетов",
                "облыстық төтенше жағдайлар департаментінің бастығы",
            ),
            ("p", "Тұрғындарға эвакуация жоспары туралы жадынама таратылды."),
        ],
    },
]

# The newsroom's reporters (Author snippets, translated into ru and en through
# wagtail-localize): slug -> {language: (name, role, bio)}.
AUTHORS = {
    "aigul-seitova": {
        "kk": (
            "Айгүл Сейітова",
            "Тілші",
            "Білім мен денсаулық сақтау тақырыбын он жылдан бері жазады.",
        ),
        "ru": (
            "Айгуль Сеитова",
            "Корреспондент",
            "Десять лет пишет об образовании и здравоохранении.",
        ),
        "en": ("Aigul Seitova", "Correspondent", "Has covered education and health for ten years."),
    },
    "marat-ospanov": {
        "kk": ("Марат Оспанов", "Фототілші", "Облыстың ауылдары мен тауларын суретке түсіреді."),
        "ru": ("Марат Оспанов", "Фотокорреспондент", "Снимает сёла и горы области."),
        "en": (
            "Marat Ospanov",
            "Photojournalist",
            "Photographs the region's villages and mountains.",
        ),
    },
    "dana-bekova": {
        "kk": (
            "Дана Бекова",
            "Экономика бөлімінің редакторы",
            "Инвестиция мен ауыл шаруашылығын жазады.",
        ),
        "ru": (
            "Дана Бекова",
            "Редактор отдела экономики",
            "Пишет об инвестициях и сельском хозяйстве.",
        ),
        "en": ("Dana Bekova", "Business editor", "Writes about investment and farming."),
    },
    "erlan-qasymov": {
        "kk": (
            "Ерлан Қасымов",
            "Аймақтық тілші",
            "Аудандардағы құрылыс пен жол жөндеуін бақылайды.",
        ),
        "ru": (
            "Ерлан Касымов",
            "Региональный корреспондент",
            "Следит за стройками и ремонтом дорог в районах.",
        ),
        "en": (
            "Yerlan Kassymov",
            "Regional correspondent",
            "Follows building and road works across the districts.",
        ),
    },
}

# The agency whose copy the newsroom runs: a free-text byline, translated with the story.
AGENCY = {"kk": "ҚазАқпарат", "ru": "Казинформ", "en": "Kazinform"}

# Who signs which story: the seed article first, then ARTICLES in order (round robin;
# every fifth story is agency copy, with the reporter who edited it).
BYLINE_ROTATION = ["dana-bekova", "aigul-seitova", "marat-ospanov", "erlan-qasymov"]

# Editor's notes (corrections and updates) appended after publication:
# article slug -> [(kind, hours after the story's date, {language: text})].
NOTES = {
    "qonaevta-zhana-mektep-ashyldy": [
        (
            "correction",
            30,
            {
                "kk": "Мақаланың алғашқы нұсқасында мектептің сыйымдылығы 1000 орын деп "
                "қате көрсетілген. Дұрысы – 1200 орын.",
                "ru": "В первой версии статьи вместимость школы была ошибочно указана как "
                "1000 мест. Правильно – 1200 мест.",
                "en": "An earlier version of this story gave the school's capacity as 1,000 "
                "places. It has 1,200.",
            },
        )
    ],
    "talgarda-alma-festivali-otti": [
        (
            "update",
            20,
            {
                "kk": "Ұйымдастырушылар фестивальге 12 мың адам келгенін хабарлады.",
                "ru": "Организаторы сообщили, что фестиваль посетили 12 тысяч человек.",
                "en": "The organisers say 12,000 people came to the festival.",
            },
        )
    ],
}
