"""The Kazakh Latin alphabets, one table per version, and the one in force.

Each table maps a lowercase Cyrillic letter to its lowercase Latin spelling, and says
how its Latin letters are capitalised. The 42 letters of the Kazakh Cyrillic alphabet
are all here: the 33 it shares with Russian and its own nine (ә ғ қ ң ө ұ ү һ і).

**2021** (the default; ``NEWSDESK_KAZAKH_LATIN_ALPHABET = "2021"``): the alphabet the
Government presented on 28 January 2021 and put to public discussion as a draft
presidential decree in April 2021 ("О некоторых вопросах перевода алфавита казахского
языка с кириллицы на латинскую графику", on the "Открытые НПА" portal). Its explanatory
note, as reported by Informburo (informburodata.com) and yk.kz: 31 letters, "one sound,
one letter" for the 28 sounds of Kazakh, the specific sounds ә ө ү ұ ғ ш written with an
umlaut, macron, breve or cedilla (ä ö ü ū ğ ş). The letters: A Ä B D E F G Ğ H I İ J K
L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z. The letter-by-letter correspondence, and a worked example (the
1902 text: «бір ... кісі» → «bır ... kısı», «үйіне» → «üiıne», «сый» → «syi»), are in
Wikipedia's "Kazakh alphabets", section "Latin script". Two letters are Turkish-style:
І і is written **I ı** (dotless), И и and Й й are both **İ i**. There is no Ç, C, W or
X among the 31: the 2019 draft had Ç for ч (and W for у); the 2021 alphabet has neither,
so ч is one of the Russian letters below.

**2018** (``"2018"``): the alphabet of Presidential Decree No. 637 of 19 February 2018,
32 letters with acute accents and two digraphs (A Á B D E F G Ǵ H I I J K L M N Ń O Ó
P Q R S T U Ú V Y Ý Z Sh Ch; reports of the decree: "sh, ch" digraphs, "á, ń"), the one
Egemen Qazaqstan's Latin edition (lat.egemen.kz) is written in. Its table lists I twice:
І і is **I i** and И и, Й й are **I ı** (capital I, dotless small ı); У у is **Ý ý**,
Ұ ұ is **U u**, Ү ү is **Ú ú**, Ш is **Sh**, Ч is **Ch**.

**The letters Kazakh takes from Russian** (ё, ц, ч, щ, ъ, ь, э, ю, я; в, ф, х and һ
have letters of their own) have no letter of their own in the 2021 alphabet, and no
spelling rules for them had been adopted with it. The rule here is ours, and it is one
rule: write the sounds they stand for with the alphabet's own letters, letter by
letter, so that the spelling stays predictable and reversible; for ч it keeps the 2018
alphabet's official digraph Ch, which readers of the Egemen edition already know:

=====  ======  ======  ==========================================================
Cyr.   2021    2018    why
=====  ======  ======  ==========================================================
ё      io      ıo      й + о, as Kazakh readers pronounce it
ц      ts      ts      the sound [ts]
ч      ch      ch      the 2018 alphabet's digraph (the 2021 one has no letter)
щ      şş      shsh    a long ш (ащы "aşşy", тұщы "tūşşy")
ъ, ь   —       —       signs, not sounds: dropped
э      e       e       the same vowel as е
ю      iu      ıý      й + у
я      ia      ıa      й + а
=====  ======  ======  ==========================================================

A name or loanword whose spelling should differ goes in the exceptions snippet
(``news.kazakh_latin.spellings``), not in these tables.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from news.conf import conf

# The 42 letters of the Kazakh Cyrillic alphabet, lowercase, in alphabetical order.
KAZAKH_CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
RUSSIAN_ONLY = "ёцчщъьэюя"


@dataclass(frozen=True)
class Alphabet:
    """One version of the Kazakh Latin alphabet."""

    version: str
    letters: dict  # lowercase Cyrillic letter -> lowercase Latin spelling
    # Latin lowercase letters whose capital is not what str.upper() says.
    capitals: dict = field(default_factory=dict)
    # Latin capitals whose lowercase is not what str.lower() says.
    smalls: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(KAZAKH_CYRILLIC) - set(self.letters)
        if missing:
            raise ValueError(f"alphabet {self.version} lacks {''.join(sorted(missing))}")


ALPHABET_2021 = Alphabet(
    version="2021",
    letters={
        "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d",
        "е": "e", "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k",
        "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü",
        "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş",
        "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    },
    # Turkish-style dotted and dotless i: i/İ and ı/I.
    capitals={"i": "İ", "ı": "I"},
    smalls={"İ": "i", "I": "ı"},
)  # fmt: skip

ALPHABET_2018 = Alphabet(
    version="2018",
    letters={
        "а": "a", "ә": "á", "б": "b", "в": "v", "г": "g", "ғ": "ǵ", "д": "d",
        "е": "e", "ё": "ıo", "ж": "j", "з": "z", "и": "ı", "й": "ı", "к": "k",
        "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ń", "о": "o", "ө": "ó",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "ý", "ұ": "u", "ү": "ú",
        "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shsh",
        "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "ıý", "я": "ıa",
    },
    # І and И share the capital I in the 2018 alphabet.
    capitals={"ı": "I", "i": "I"},
    smalls={"I": "i"},
)  # fmt: skip

ALPHABETS = {alphabet.version: alphabet for alphabet in (ALPHABET_2021, ALPHABET_2018)}
DEFAULT_VERSION = "2021"


def get_alphabet(version=None):
    """The alphabet ``version`` ("2021", "2018"), by default the one in the settings.

    Raises ``ImproperlyConfigured`` for a version that does not exist.
    """
    version = str(version or conf.KAZAKH_LATIN_ALPHABET or DEFAULT_VERSION)
    try:
        return ALPHABETS[version]
    except KeyError:
        raise ImproperlyConfigured(
            f"NEWSDESK_KAZAKH_LATIN_ALPHABET must be one of {sorted(ALPHABETS)}, not {version!r}"
        ) from None
