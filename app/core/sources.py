"""The documents lessons and digests may cite, by symbol."""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "CTOC/COP/2020": "Report of the Secretariat on UNODC firearms activities (30 July 2020)",
    "CTOC/COP/2010": "Report of the Secretariat on the Firearms Protocol (9 August 2010)",
    "CTOC/COP/WG.6/2018/1": (
        "Practical measures under the Firearms Protocol, background paper (6 March 2018)"
    ),
    "CTOC/COP/WG.6/2020/1": (
        "Working Group on Firearms, annotated provisional agenda: new and emerging threats "
        "(2 January 2020)"
    ),
    "UNODC-GSFIT-2023": (
        "UNODC Global Strategy on Illicit Firearms and Interconnected Threats 2023-2030"
    ),
    "A/RES/55/255": (
        "Protocol against the Illicit Manufacturing of and Trafficking in Firearms (2001)"
    ),
    "A/RES/55/25": "United Nations Convention against Transnational Organized Crime (2000)",
    "ATT-2013": "Arms Trade Treaty (2013)",
    "A/CONF.192/15": "Programme of Action on small arms and light weapons (2001)",
    "ITI-2005": "International Tracing Instrument (2005)",
}


def describe(symbol: str) -> str:
    return SOURCES.get(symbol, symbol)
