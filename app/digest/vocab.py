"""The controlled lists of docs/CONTENT.md "Cases", each code with its human label.

Codes are what the files, the database and the search index hold; labels are what pages show.
"""

from __future__ import annotations

KINDS: dict[str, str] = {"case": "Court case", "operation": "Operation"}

REGIONS: dict[str, str] = {
    name: name
    for name in (
        "North Africa and Middle East",
        "West and Central Africa",
        "Sahel",
        "East and Southern Africa",
        "Central America and Mexico",
        "Caribbean",
        "South America",
        "North America",
        "Western Balkans",
        "European Union",
        "Eastern Europe",
        "Central Asia",
        "South Asia",
        "South-East Asia",
        "Oceania",
        "Global",
    )
}

COURT_LEVELS: dict[str, str] = {
    "none": "No court",
    "first-instance": "First instance",
    "appeal": "Appeal",
    "supreme": "Supreme court",
}

STAGES: dict[str, str] = {
    "investigation": "Investigation",
    "trial": "Trial",
    "appeal": "Appeal",
    "final": "Final",
}

OUTCOMES: dict[str, str] = {
    "conviction": "Conviction",
    "partial-conviction": "Partial conviction",
    "acquittal": "Acquittal",
    "pending": "Pending",
    "no-prosecution": "No prosecution",
    "operation-results": "Operation results",
}

OFFENCES: dict[str, str] = {
    "illicit-manufacturing": "Illicit manufacturing",
    "illicit-trafficking": "Illicit trafficking",
    "falsifying-markings": "Falsifying or removing markings",
    "illicit-possession": "Illicit possession",
    "illicit-brokering": "Illicit brokering",
    "document-fraud": "Document fraud",
    "reactivation": "Illicit reactivation",
    "participation-in-organized-crime": "Participation in an organized criminal group",
    "money-laundering": "Money laundering",
    "terrorism-offence": "Terrorism offence",
    "corruption": "Corruption",
}

MODUS_OPERANDI: dict[str, str] = {
    "diversion-legal-stock": "Diversion from legal stocks",
    "straw-purchase": "Straw purchase",
    "theft-stockpiles": "Theft from stockpiles",
    "conversion-alarm-blank": "Conversion of alarm and blank-firing weapons",
    "reactivation-deactivated": "Reactivation of deactivated weapons",
    "assembly-from-parts": "Assembly from parts",
    "additive-manufacturing": "Additive manufacturing (3D printing)",
    "postal-courier": "Postal and courier shipments",
    "dark-web-online": "Dark web and online sales",
    "concealment-vehicles": "Concealment in vehicles",
    "ant-trade-land-borders": "Ant trade across land borders",
    "brokering-forged-documents": "Brokering with forged documents",
    "exchange-for-drugs": "Exchange for drugs",
    "drones": "Drones",
}

WEAPONS: dict[str, str] = {
    "pistols": "Pistols",
    "revolvers": "Revolvers",
    "rifles": "Rifles",
    "shotguns": "Shotguns",
    "assault-rifles": "Assault rifles",
    "submachine-guns": "Submachine guns",
    "machine-guns": "Machine guns",
    "light-weapons": "Light weapons",
    "parts-and-components": "Parts and components",
    "ammunition": "Ammunition",
    "converted-weapons": "Converted weapons",
    "3d-printed-firearms": "3D-printed firearms",
    "explosives": "Explosives",
}

LINKS: dict[str, str] = {
    "organized-crime": "Organized crime",
    "terrorism": "Terrorism",
    "drugs": "Drugs",
    "gangs": "Gangs",
    "corruption": "Corruption",
}

TECHNIQUES: dict[str, str] = {
    "controlled-delivery": "Controlled delivery",
    "undercover": "Undercover operation",
    "interception": "Interception of communications",
    "joint-investigation-team": "Joint investigation team",
    "mutual-legal-assistance": "Mutual legal assistance",
    "tracing-request": "Tracing request",
    "ballistic-comparison": "Ballistic comparison",
    "financial-investigation": "Financial investigation",
}

QUANTITIES: dict[str, str] = {
    "firearms": "Firearms",
    "parts": "Parts and components",
    "ammunition": "Rounds of ammunition",
    "explosives": "Explosives (kg)",
}

INSTRUMENTS: dict[str, str] = {
    "protocol": "Firearms Protocol",
    "convention": "Organized Crime Convention",
}

# Section headings of the body, in order; every digest has each exactly once.
SECTIONS: tuple[str, ...] = (
    "Summary",
    "Facts",
    "Investigation",
    "Prosecution and decision",
    "Commentary",
    "Good practices",
    "Sources",
)


def article_code(instrument: str, number: int) -> str:
    """The facet code of an article: `protocol-5`, `convention-18`."""
    return f"{instrument}-{number}"


def article_label(code: str) -> str:
    """`protocol-5` -> `Firearms Protocol, art. 5`; unknown codes come back unchanged."""
    instrument, _, number = code.partition("-")
    if instrument not in INSTRUMENTS or not number.isdigit():
        return code
    return f"{INSTRUMENTS[instrument]}, art. {number}"


def label(vocabulary: dict[str, str], code: str) -> str:
    return vocabulary.get(code, code)
