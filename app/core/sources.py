"""The documents lessons and digests may cite, by symbol, and the Sources page's entries.

`SOURCES` maps each symbol to a short description (the check's list of known symbols, the
digest's checkboxes, tooltips); `DOCUMENTS` gives each document in full for the Sources page at
`/sources`, where each has the anchor `anchor(symbol)`. `link_symbols` turns the symbols named in
a Markdown text into links to those anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDocument:
    symbol: str
    short: str  # one line, for tooltips and pickers
    title: str  # the document's full title
    date: str  # as printed on the document, or the year of adoption
    issued_by: str
    about: str  # what the platform uses it for
    note: str = ""  # how the platform knows it, where that is not obvious


FIREARMS_PROTOCOL_TITLE = (
    "Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and "
    "Components and Ammunition, supplementing the United Nations Convention against "
    "Transnational Organized Crime"
)
SECRETARIAT_REPORT_TITLE = (
    "Activities of the United Nations Office on Drugs and Crime to promote and support the "
    f"implementation of the {FIREARMS_PROTOCOL_TITLE}: report of the Secretariat"
)

DOCUMENTS: tuple[SourceDocument, ...] = (
    SourceDocument(
        "CTOC/COP/2020",
        "Report of the Secretariat on UNODC firearms activities (30 July 2020)",
        SECRETARIAT_REPORT_TITLE,
        "30 July 2020",
        "Conference of the Parties to the Organized Crime Convention, tenth session",
        "UNODC's firearms work from 2018 to 2020: the five pillars of the Global Firearms "
        "Programme, training and the e-learning curriculum, the digest of cases, operations KAFO "
        "and Trigger, data collection, the response to COVID-19.",
        "Cited here by the symbol of the session's document series (CTOC/COP/2020/…); the copy "
        "the platform holds does not give the report's own number.",
    ),
    SourceDocument(
        "CTOC/COP/2010",
        "Report of the Secretariat on the Firearms Protocol (9 August 2010)",
        SECRETARIAT_REPORT_TITLE,
        "9 August 2010",
        "Conference of the Parties to the Organized Crime Convention, fifth session",
        "The Protocol's regime, the model law on firearms, the planned training curriculum and "
        "the cooperation with regional instruments and organisations.",
        "Cited here by the symbol of the session's document series (CTOC/COP/2010/…); the copy "
        "the platform holds does not give the report's own number.",
    ),
    SourceDocument(
        "CTOC/COP/WG.6/2018/1",
        "Practical measures under the Firearms Protocol, background paper (6 March 2018)",
        "Practical measures under the Firearms Protocol that contribute to preventing criminal "
        "organizations and terrorist groups from acquiring weapons through illicit trafficking, "
        "and to monitoring the achievement of target 16.4 of the Sustainable Development Goals: "
        "background paper prepared by the Secretariat",
        "6 March 2018",
        "Working Group on Firearms (meeting of 2 and 3 May 2018)",
        "Offences, licensing, transfers and brokering, marking and record-keeping, deactivation, "
        "detection, proactive and parallel investigations, tracing, SDG indicator 16.4.2.",
    ),
    SourceDocument(
        "CTOC/COP/WG.6/2020/1",
        "Working Group on Firearms, annotated provisional agenda: new and emerging threats "
        "(2 January 2020)",
        "Annotated provisional agenda of the Working Group on Firearms",
        "2 January 2020",
        "Working Group on Firearms (meeting of 17 and 18 March 2020)",
        "The new and emerging threats before the Working Group and its item on investigative and "
        "prosecutorial approaches.",
    ),
    SourceDocument(
        "CTOC/COP/WG.6/2020/2",
        "Secretariat's background paper on new and emerging threats (2020)",
        "Responsiveness of the Firearms Protocol and national legislation to new and emerging "
        "threats relating to the illicit manufacturing of and trafficking in firearms, their "
        "parts and components and ammunition: background paper prepared by the Secretariat",
        "2020 (prepared for the meeting of 17 and 18 March 2020)",
        "Working Group on Firearms",
        "The nine new and emerging threats, from conversion to the use of drones for shipping, "
        "and recommendations for national law.",
        "Known here through the summary in the annotated agenda (CTOC/COP/WG.6/2020/1); lessons "
        "citing it say only what that summary says.",
    ),
    SourceDocument(
        "UNODC-GSFIT-2023",
        "UNODC Global Strategy on Illicit Firearms and Interconnected Threats 2023-2030",
        "UNODC Global Strategy on Illicit Firearms and Interconnected Threats 2023-2030",
        "2023",
        "United Nations Office on Drugs and Crime",
        "The Strategy's outcomes, its people-centred approach, the community of practitioners and "
        "the priority regions.",
        "A UNODC publication without a UN document symbol; the platform gives it this label.",
    ),
    SourceDocument(
        "A/RES/55/255",
        "Protocol against the Illicit Manufacturing of and Trafficking in Firearms (2001)",
        FIREARMS_PROTOCOL_TITLE,
        "Adopted 31 May 2001",
        "General Assembly resolution 55/255",
        "The Firearms Protocol: definitions, offences, marking, record-keeping, transfers, "
        "deactivation, brokering, cooperation, training and technical assistance.",
    ),
    SourceDocument(
        "A/RES/55/25",
        "United Nations Convention against Transnational Organized Crime (2000)",
        "United Nations Convention against Transnational Organized Crime",
        "Adopted 15 November 2000",
        "General Assembly resolution 55/25",
        "The parent Convention: jurisdiction, confiscation, extradition, mutual legal assistance, "
        "special investigative techniques, protection of witnesses.",
    ),
    SourceDocument(
        "ATT-2013",
        "Arms Trade Treaty (2013)",
        "Arms Trade Treaty",
        "Adopted 2 April 2013",
        "General Assembly resolution 67/234 B",
        "Export assessment, diversion and the regulation of the international arms trade.",
        "The platform's label; the treaty has no document symbol of its own.",
    ),
    SourceDocument(
        "A/CONF.192/15",
        "Programme of Action on small arms and light weapons (2001)",
        "Programme of Action to Prevent, Combat and Eradicate the Illicit Trade in Small Arms "
        "and Light Weapons in All Its Aspects",
        "July 2001",
        "United Nations Conference on the Illicit Trade in Small Arms and Light Weapons",
        "The politically binding framework on small arms and light weapons.",
        "Contained in the report of the 2001 Conference, document A/CONF.192/15.",
    ),
    SourceDocument(
        "ITI-2005",
        "International Tracing Instrument (2005)",
        "International Instrument to Enable States to Identify and Trace, in a Timely and "
        "Reliable Manner, Illicit Small Arms and Light Weapons",
        "Adopted 8 December 2005",
        "General Assembly (decision 60/519)",
        "Marking, record-keeping and tracing of small arms and light weapons.",
        "The platform's label for the instrument.",
    ),
)

SOURCES: dict[str, str] = {document.symbol: document.short for document in DOCUMENTS}
_BY_SYMBOL = {document.symbol: document for document in DOCUMENTS}


def describe(symbol: str) -> str:
    return SOURCES.get(symbol, symbol)


def document(symbol: str) -> SourceDocument | None:
    return _BY_SYMBOL.get(symbol)


def anchor(symbol: str) -> str:
    """The id of a document's entry on the Sources page: `CTOC/COP/WG.6/2018/1` gives
    `ctoc-cop-wg-6-2018-1`."""
    return re.sub(r"[^a-z0-9]+", "-", symbol.lower()).strip("-")


# A symbol standing on its own: not part of a longer symbol (A/RES/55/25 inside A/RES/55/255,
# CTOC/COP/2020 inside CTOC/COP/2020/1), not already a link's text or target.
_SYMBOL_RE = re.compile(
    r"(?<![\w/.\[#-])("
    + "|".join(re.escape(s) for s in sorted(SOURCES, key=len, reverse=True))
    + r")(?![\w/]|\.\d|\]|-\w)"
)
_CODE_RE = re.compile(r"(`+).*?\1|\]\([^)]*\)", re.DOTALL)


def link_symbols(markdown: str, base: str = "/sources") -> str:
    """Link every source symbol named in Markdown text to its entry on the Sources page, leaving
    code spans and existing links alone."""

    def link(match: re.Match[str]) -> str:
        symbol = match.group(1)
        return f"[{symbol}]({base}#{anchor(symbol)})"

    pieces: list[str] = []
    position = 0
    for protected in _CODE_RE.finditer(markdown):
        pieces.append(_SYMBOL_RE.sub(link, markdown[position : protected.start()]))
        pieces.append(protected.group(0))
        position = protected.end()
    pieces.append(_SYMBOL_RE.sub(link, markdown[position:]))
    return "".join(pieces)
