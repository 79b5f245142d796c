"""The product in the six UN languages: gettext catalogues (kb/locales/<lang>/LC_MESSAGES/
messages.po, read at run time with Babel, no compilation step), the language a person reads,
and names, numbers and dates from CLDR (Babel) in that language. No Streamlit here.

    from kb.i18n import _, ngettext, use
    with use("ru"):
        ngettext("{n} case", "{n} cases", 3).format(n=3)   # "3 кейса"

A string with no translation falls back to English.
"""

from kb.i18n.catalogues import N_, _, gettext, ngettext, translations
from kb.i18n.language import (
    DEFAULT,
    LANGUAGES,
    current,
    direction,
    is_rtl,
    native_name,
    negotiate,
    use,
)
from kb.i18n.names import (
    country_name,
    format_date,
    format_number,
    language_name,
    region_name,
    sub_region_name,
)

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "_",
    "country_name",
    "current",
    "direction",
    "format_date",
    "format_number",
    "gettext",
    "is_rtl",
    "language_name",
    "native_name",
    "negotiate",
    "ngettext",
    "region_name",
    "sub_region_name",
    "translations",
    "use",
]
