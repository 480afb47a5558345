"""Kazakh date formats (Django ships none, so it falls back to the American "N j, Y").

``E`` is the month name as used inside a date; Django's Kazakh catalogue capitalises
it ("7 Мамыр 2024 ж."); our own catalogue can give the lower-case forms
(msgctxt "alt. month") without a change here.
"""

DATE_FORMAT = "j E Y ж."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j E Y ж. H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
