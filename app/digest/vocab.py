"""The controlled lists of docs/CONTENT.md "Cases", each code with its human label.

Codes are what the files, the database and the search index hold; labels are what pages show,
in the reader's language: each label is a lazy gettext string, English wherever no reader is
(the search index builds its text under `force_locale("en")`).
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

KINDS: dict[str, str] = {"case": _l("Court case"), "operation": _l("Operation")}

REGIONS: dict[str, str] = {
    "North Africa and Middle East": _l("North Africa and Middle East"),
    "West and Central Africa": _l("West and Central Africa"),
    "Sahel": _l("Sahel"),
    "East and Southern Africa": _l("East and Southern Africa"),
    "Central America and Mexico": _l("Central America and Mexico"),
    "Caribbean": _l("Caribbean"),
    "South America": _l("South America"),
    "North America": _l("North America"),
    "Western Balkans": _l("Western Balkans"),
    "European Union": _l("European Union"),
    "Eastern Europe": _l("Eastern Europe"),
    "Central Asia": _l("Central Asia"),
    "South Asia": _l("South Asia"),
    "South-East Asia": _l("South-East Asia"),
    "Oceania": _l("Oceania"),
    "Global": _l("Global"),
}

COURT_LEVELS: dict[str, str] = {
    "none": _l("No court"),
    "first-instance": _l("First instance"),
    "appeal": _l("Appeal"),
    "supreme": _l("Supreme court"),
}

STAGES: dict[str, str] = {
    "investigation": _l("Investigation"),
    "trial": _l("Trial"),
    "appeal": _l("Appeal"),
    "final": _l("Final"),
}

OUTCOMES: dict[str, str] = {
    "conviction": _l("Conviction"),
    "partial-conviction": _l("Partial conviction"),
    "acquittal": _l("Acquittal"),
    "pending": _l("Pending"),
    "no-prosecution": _l("No prosecution"),
    "operation-results": _l("Operation results"),
}

OFFENCES: dict[str, str] = {
    "illicit-manufacturing": _l("Illicit manufacturing"),
    "illicit-trafficking": _l("Illicit trafficking"),
    "falsifying-markings": _l("Falsifying or removing markings"),
    "illicit-possession": _l("Illicit possession"),
    "illicit-brokering": _l("Illicit brokering"),
    "document-fraud": _l("Document fraud"),
    "reactivation": _l("Illicit reactivation"),
    "participation-in-organized-crime": _l("Participation in an organized criminal group"),
    "money-laundering": _l("Money laundering"),
    "terrorism-offence": _l("Terrorism offence"),
    "corruption": _l("Corruption"),
}

MODUS_OPERANDI: dict[str, str] = {
    "diversion-legal-stock": _l("Diversion from legal stocks"),
    "straw-purchase": _l("Straw purchase"),
    "theft-stockpiles": _l("Theft from stockpiles"),
    "conversion-alarm-blank": _l("Conversion of alarm and blank-firing weapons"),
    "reactivation-deactivated": _l("Reactivation of deactivated weapons"),
    "assembly-from-parts": _l("Assembly from parts"),
    "additive-manufacturing": _l("Additive manufacturing (3D printing)"),
    "postal-courier": _l("Postal and courier shipments"),
    "dark-web-online": _l("Dark web and online sales"),
    "concealment-vehicles": _l("Concealment in vehicles"),
    "ant-trade-land-borders": _l("Ant trade across land borders"),
    "brokering-forged-documents": _l("Brokering with forged documents"),
    "exchange-for-drugs": _l("Exchange for drugs"),
    "drones": _l("Drones"),
}

WEAPONS: dict[str, str] = {
    "pistols": _l("Pistols"),
    "revolvers": _l("Revolvers"),
    "rifles": _l("Rifles"),
    "shotguns": _l("Shotguns"),
    "assault-rifles": _l("Assault rifles"),
    "submachine-guns": _l("Submachine guns"),
    "machine-guns": _l("Machine guns"),
    "light-weapons": _l("Light weapons"),
    "parts-and-components": _l("Parts and components"),
    "ammunition": _l("Ammunition"),
    "converted-weapons": _l("Converted weapons"),
    "3d-printed-firearms": _l("3D-printed firearms"),
    "explosives": _l("Explosives"),
}

LINKS: dict[str, str] = {
    "organized-crime": _l("Organized crime"),
    "terrorism": _l("Terrorism"),
    "drugs": _l("Drugs"),
    "gangs": _l("Gangs"),
    "corruption": _l("Corruption"),
}

TECHNIQUES: dict[str, str] = {
    "controlled-delivery": _l("Controlled delivery"),
    "undercover": _l("Undercover operation"),
    "interception": _l("Interception of communications"),
    "joint-investigation-team": _l("Joint investigation team"),
    "mutual-legal-assistance": _l("Mutual legal assistance"),
    "tracing-request": _l("Tracing request"),
    "ballistic-comparison": _l("Ballistic comparison"),
    "financial-investigation": _l("Financial investigation"),
}

QUANTITIES: dict[str, str] = {
    "firearms": _l("Firearms"),
    "parts": _l("Parts and components"),
    "ammunition": _l("Rounds of ammunition"),
    "explosives": _l("Explosives (kg)"),
}

INSTRUMENTS: dict[str, str] = {
    "protocol": _l("Firearms Protocol"),
    "convention": _l("Organized Crime Convention"),
}

# Section headings of the body, in order; every digest has each exactly once. The files and
# the body hold them in English; the case page shows them in the reader's language.
SECTIONS: tuple[str, ...] = (
    "Summary",
    "Facts",
    "Investigation",
    "Prosecution and decision",
    "Commentary",
    "Good practices",
    "Sources",
)
SECTION_HEADINGS: dict[str, str] = {
    "Summary": _l("Summary"),
    "Facts": _l("Facts"),
    "Investigation": _l("Investigation"),
    "Prosecution and decision": _l("Prosecution and decision"),
    "Commentary": _l("Commentary"),
    "Good practices": _l("Good practices"),
    "Sources": _l("Sources"),
}


def article_code(instrument: str, number: int) -> str:
    """The facet code of an article: `protocol-5`, `convention-18`."""
    return f"{instrument}-{number}"


def article_label(code: str) -> str:
    """`protocol-5` -> `Firearms Protocol, art. 5`; unknown codes come back unchanged."""
    instrument, _dash, number = code.partition("-")
    if instrument not in INSTRUMENTS or not number.isdigit():
        return code
    return str(gettext("%(instrument)s, art. %(number)s", instrument=INSTRUMENTS[instrument],
                   number=number))  # fmt: skip


def label(vocabulary: dict[str, str], code: str) -> str:
    """The label of `code` in the reader's language (an unknown code comes back unchanged)."""
    return str(vocabulary.get(code, code))
