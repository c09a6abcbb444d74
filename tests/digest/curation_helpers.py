"""Data of the curation, export, API and statistics tests: form data and packaged cases."""

from __future__ import annotations

from typing import Any

from tests.digest.factory import CASES_DIR

BODY_FIELDS = {
    "summary": "A courier carried pistols across the border in a fuel tank.",
    "facts": "The courier crossed twice a month.\n\nThe pistols were wrapped in plastic.",
    "investigation": "- Customs found the compartment.\n- The phone was examined.",
    "prosecution": "The court convicted the courier.",
    "commentary": "Risk profiling worked.",
    "good_practices": "- Check fuel tanks.",
    "sources_text": "CTOC/COP/2020. This is an illustrative composite.",
}


def case_form(**overrides: Any) -> dict[str, Any]:
    """Valid POST data of the case form; override any field."""
    data: dict[str, Any] = {
        "slug": "fuel-tank-courier",
        "title": "Pistols hidden in a fuel tank",
        "kind": "case",
        "country": "Spain",
        "region": "European Union",
        "court": "First-instance criminal court",
        "court_level": "first-instance",
        "decision_year": "2021",
        "stage": "final",
        "outcome": "conviction",
        "offences": ["illicit-trafficking"],
        "protocol_articles": "5, 11",
        "convention_articles": "",
        "modus_operandi": ["concealment-vehicles"],
        "weapons": ["pistols"],
        "quantity_firearms": "6",
        "quantity_ammunition": "120",
        "route_origin": "Türkiye",
        "route_transit": "Bulgaria, Romania",
        "route_destination": "Spain",
        "links": ["organized-crime"],
        "techniques": ["controlled-delivery"],
        "sentences": "Courier: 4 years' imprisonment",
        "illustrative": "y",
        "sources": ["CTOC/COP/2020"],
        "modules": "",
        "reason": "First version",
        **BODY_FIELDS,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# A sample of the packaged cases (indexing all 60 takes seconds per test): 8 public and 5
# restricted ones; the five South American cases include one restricted (Colombia).
SAMPLE = (
    "argentina-licensed-collector-bulk-purchases-acquittal",
    "brazil-exported-guns-smuggled-back-joint-investigation-team",
    "chile-converted-blank-firing-pistols-social-media",
    "colombia-ammunition-explosives-supply-to-armed-group",
    "latin-america-operations-trigger-v-vi-2019",
    "sweden-converted-alarm-pistols-gang-shootings",
    "jamaica-guns-for-cannabis-fishing-boats",
    "kenya-border-rifles-ballistic-link-to-attack",
    "serbia-dealer-diversion-pistols-without-import-marks",
    "belgium-dark-web-vendor-pistols-hidden-in-electronics",
    "canada-3d-printed-pistol-frames-and-imported-parts",
    "global-dark-web-firearms-marketplace-takedown-buyer-follow-up",
    "mexico-parcel-parts-kits-assembly-workshop",
)


def restricted_slugs() -> set[str]:
    return {p.stem for p in CASES_DIR.glob("*.md") if "\nrestricted: true\n" in p.read_text()}
