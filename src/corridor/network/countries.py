"""English names of the countries a Eurasian freight network may touch, by ISO 3166-1 alpha-2.

Used to read what a user meant: a country name typed where a place is expected
(`corridor route Kazakhstan Warsaw`), and an ISO2 code to avoid that is not in the network.
The names are the ISO 3166 short names in common English spelling, plus a few usual variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_NAMES: dict[str, tuple[str, ...]] = {
    "AF": ("Afghanistan",),
    "AL": ("Albania",),
    "AM": ("Armenia",),
    "AT": ("Austria",),
    "AZ": ("Azerbaijan",),
    "BA": ("Bosnia and Herzegovina", "Bosnia"),
    "BE": ("Belgium",),
    "BG": ("Bulgaria",),
    "BY": ("Belarus",),
    "CH": ("Switzerland",),
    "CN": ("China", "People's Republic of China", "PRC"),
    "CY": ("Cyprus",),
    "CZ": ("Czechia", "Czech Republic"),
    "DE": ("Germany",),
    "DK": ("Denmark",),
    "EE": ("Estonia",),
    "EG": ("Egypt",),
    "ES": ("Spain",),
    "FI": ("Finland",),
    "FR": ("France",),
    "GB": ("United Kingdom", "UK", "Great Britain", "Britain"),
    "GE": ("Georgia",),
    "GR": ("Greece",),
    "HR": ("Croatia",),
    "HU": ("Hungary",),
    "IE": ("Ireland",),
    "IN": ("India",),
    "IQ": ("Iraq",),
    "IR": ("Iran",),
    "IT": ("Italy",),
    "JP": ("Japan",),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic"),
    "KP": ("North Korea",),
    "KR": ("South Korea", "Korea"),
    "KZ": ("Kazakhstan",),
    "LT": ("Lithuania",),
    "LU": ("Luxembourg",),
    "LV": ("Latvia",),
    "MD": ("Moldova",),
    "ME": ("Montenegro",),
    "MK": ("North Macedonia",),
    "MN": ("Mongolia",),
    "NL": ("Netherlands", "Holland", "The Netherlands"),
    "NO": ("Norway",),
    "PK": ("Pakistan",),
    "PL": ("Poland",),
    "PT": ("Portugal",),
    "RO": ("Romania",),
    "RS": ("Serbia",),
    "RU": ("Russia", "Russian Federation"),
    "SA": ("Saudi Arabia",),
    "SE": ("Sweden",),
    "SG": ("Singapore",),
    "SI": ("Slovenia",),
    "SK": ("Slovakia",),
    "SY": ("Syria",),
    "TJ": ("Tajikistan",),
    "TM": ("Turkmenistan",),
    "TR": ("Türkiye", "Turkey"),
    "UA": ("Ukraine",),
    "US": ("United States", "USA"),
    "UZ": ("Uzbekistan",),
    "VN": ("Vietnam", "Viet Nam"),
}

COUNTRY_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(_NAMES)


def country_name(iso2: str) -> str:
    """The English name of an ISO2 code, or the code itself when it is not listed.

    >>> country_name("KZ"), country_name("XX")
    ('Kazakhstan', 'XX')
    """
    names = COUNTRY_NAMES.get(iso2.upper())
    return names[0] if names else iso2
