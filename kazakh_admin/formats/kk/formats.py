"""Kazakh date, time and number formats (Django has none and falls back to "N j, Y").

Dates read «28 қараша 2026 ж.», short ones 28.11.2026, numbers 1 234,5. ``E`` is the
month name as used inside a date (msgctxt "alt. month" in the catalogues). The input
formats accept what Kazakh users type (28.11.2026) besides the ISO form Wagtail's date
pickers write (WAGTAIL_DATE_FORMAT, default %Y-%m-%d).
"""

DATE_FORMAT = "j E Y ж."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y ж. H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 28.11.2026
    "%d.%m.%y",  # 28.11.26
    "%Y-%m-%d",  # 2026-11-28 (Wagtail's date picker)
]
TIME_INPUT_FORMATS = [
    "%H:%M",
    "%H:%M:%S",
    "%H:%M:%S.%f",
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%Y-%m-%d %H:%M",  # Wagtail's date-time picker
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%d.%m.%Y",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
