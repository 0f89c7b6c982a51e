"""German and English words of the report, number formats, and display labels.

Phase and touchpoint labels come from the journey taxonomy (``label_de`` /
``label_en``); everything else the report says lives in :data:`STRINGS`. Ids
without a label are shown prettified (``order_tracking`` -> ``Order tracking``)
so a custom taxonomy or a new intent never breaks a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

__all__ = ["LANGUAGES", "STRINGS", "Labels", "check_lang", "fmt_int", "fmt_percent", "fmt_points",
           "fmt_date", "prettify", "text"]

LANGUAGES: tuple[str, ...] = ("en", "de")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Customer journey insight report",
        "q_open": "\u201c",
        "q_close": "\u201d",
        "generated": "Generated",
        "period_W": "week",
        "period_M": "month",
        "period_D": "day",
        "period_Q": "quarter",
        "previous_W": "previous week",
        "previous_M": "previous month",
        "previous_D": "previous day",
        "previous_Q": "previous quarter",
        "previous_other": "previous period",
        "nav_summary": "Summary",
        "nav_heatmap": "Journey",
        "nav_pain": "Pain points",
        "nav_time": "Over time",
        "nav_topics": "Topics",
        "nav_intents": "Intents",
        "nav_notes": "Data notes",
        "summary": "Executive summary",
        "kpi_messages": "customer messages",
        "kpi_conversations": "conversations",
        "conv_one": "conversation",
        "more_cells": "{n} more cells with fewer than {min_messages} messages",
        "more_cells_one": "1 more cell with fewer than {min_messages} messages",
        "small_cells": "{n} cells, each with fewer than {min_messages} messages (tentative)",
        "small_cells_one": "1 cell with fewer than {min_messages} messages (tentative)",
        "pain_small_data": ("No journey cell has {min_messages} or more customer messages yet (the largest has "
                            "{largest}), so no pain point can be ranked with confidence. The strongest signals "
                            "so far, tentative:"),
        "pain_small_none": ("No journey cell has {min_messages} or more customer messages yet (the largest has "
                            "{largest}), and none of the small cells holds a negative message."),
        "pain_none_negative": "No journey cell with {min_messages} or more customer messages holds a negative message.",
        "pain_no_messages": "There are no customer messages to rank.",
        "tentative_sentence": "{negative} of {messages} customer messages negative ({share}; n = {messages}, tentative)",
        "tentative": "tentative",
        "kpi_negative": "negative",
        "kpi_escalated": "conversations escalated",
        "top_pain": "Top pain points",
        "improved": "What improved",
        "new": "What is new",
        "nothing_improved": "No journey cell improved noticeably against the {prev}.",
        "nothing_new": "No emerging topics this {period}.",
        "no_topics": "Topics were not computed (annotate with --topics to see them).",
        "pain_sentence": "{label}: {share} negative customer messages{change}, {conversations} conversations{escalation}",
        "change_clause": ", {points} vs the {prev}",
        "escalation_clause": ", {rate} escalated",
        "example": "Example",
        "improved_sentence": "{label}: {share} negative, {points} vs the {prev} ({messages} messages).",
        "new_topic_sentence": "New topic \u201c{label}\u201d: {messages} messages ({share} of all).",
        "overview_sentence": ("{messages} customer messages in {conversations} conversations "
                              "from {start} to {end}; {negative} of them negative."),
        "overview_undated": "{messages} customer messages in {conversations} conversations; {negative} of them negative.",
        "escalation_sentence": "Escalation signals in {escalated} of {total} conversations ({rate}); {switches}.",
        "coverage_sentence": ("The journey ranking rests on the {mapped} of {total} customer messages ({share}) "
                              "mapped to a touchpoint; the others name none the mapper could tell."),
        "switches_none": "no customer moved from a private channel to social media or reviews",
        "switches_one": "1 customer moved from a private channel to social media or reviews",
        "switches_many": "{n} customers moved from a private channel to social media or reviews",
        "heatmap": "Journey heatmap",
        "heatmap_help": ("Colour: share of negative customer messages; grey: fewer than {min_messages} messages. "
                         "Label: negative share and number of messages. Hover for a quote, click a cell to read "
                         "all quotes."),
        "heatmap_click": "Click a cell of the heatmap to read its quotes here.",
        "phase": "Phase",
        "touchpoint": "Touchpoint",
        "messages": "Messages",
        "conversations": "Conversations",
        "negative_share": "Negative",
        "ci": "95% interval",
        "change": "Change",
        "escalation_rate": "Escalated",
        "signals": "Escalation signals",
        "top_intents": "Top intents",
        "quotes": "Evidence",
        "rank": "#",
        "score": "Score",
        "pain": "Pain points",
        "pain_help": ("Ranked by score: the lower bound of the negative share, escalations and the trend, "
                      "weighted by volume. Cells with fewer than {min_messages} messages come last (grey)."),
        "low_volume": "few messages",
        "unmapped": "not mapped",
        "time": "Sentiment and volume over time",
        "time_help": ("Share of negative customer messages (drawn from {min_messages} messages per point on) and "
                      "message volume per {period} and journey phase."),
        "channels": "Channel mix",
        "channel": "Channel",
        "customers": "Customers",
        "customers_unknown": "unknown",
        "switches": "Channel switches",
        "switches_help": "Customers who moved between channels within 30 days (e.g. chat \u2192 social).",
        "no_switches": "No channel switches found.",
        "from_channel": "From",
        "to_channel": "To",
        "topics": "Topics",
        "topic": "Topic",
        "share": "Share",
        "emerging": "new",
        "keywords": "Keywords",
        "intents": "Intents per touchpoint",
        "intents_help": "Share of each touchpoint's customer messages that carry the intent.",
        "intent": "Intent",
        "notes": "Data notes",
        "notes_analysed": "Analysed",
        "notes_period": "Period",
        "notes_languages": "Languages",
        "notes_channels": "Channels",
        "notes_quarantine": "Quarantined rows",
        "notes_quarantine_none": "none",
        "notes_quarantine_unknown": "not recorded",
        "notes_errors": "Messages with annotation errors",
        "notes_unmapped": "Customer messages not mapped to a touchpoint",
        "notes_redaction": "Quotes",
        "notes_redacted": "PII-redacted before display (supportinsight.text.pii: e-mail addresses, phone numbers \u2026)",
        "notes_models": "Models and steps (provenance)",
        "notes_models_none": "not recorded (provenance lost; pass provenance= or keep the Parquet metadata)",
        "notes_messages": "{messages} messages ({customer} from customers) in {conversations} conversations",
        "step": "Step",
        "version": "Version",
        "columns": "Columns",
        "none": "none",
        "unknown": "not mapped",
        "md_pain_title": "Pain points",
        "footer": "supportinsight {version} \u00b7 all quotes are PII-redacted",
    },
    "de": {
        "title": "Customer-Journey-Bericht",
        "q_open": "\u201e",
        "q_close": "\u201c",
        "generated": "Erstellt",
        "period_W": "Woche",
        "period_M": "Monat",
        "period_D": "Tag",
        "period_Q": "Quartal",
        "previous_W": "Vorwoche",
        "previous_M": "Vormonat",
        "previous_D": "Vortag",
        "previous_Q": "Vorquartal",
        "previous_other": "Vorperiode",
        "nav_summary": "Zusammenfassung",
        "nav_heatmap": "Journey",
        "nav_pain": "Schmerzpunkte",
        "nav_time": "Verlauf",
        "nav_topics": "Themen",
        "nav_intents": "Anliegen",
        "nav_notes": "Datenbasis",
        "summary": "Zusammenfassung",
        "kpi_messages": "Kundennachrichten",
        "kpi_conversations": "Gespräche",
        "conv_one": "Gespräch",
        "more_cells": "{n} weitere Zellen mit weniger als {min_messages} Nachrichten",
        "more_cells_one": "1 weitere Zelle mit weniger als {min_messages} Nachrichten",
        "small_cells": "{n} Zellen mit jeweils weniger als {min_messages} Nachrichten (vorläufig)",
        "small_cells_one": "1 Zelle mit weniger als {min_messages} Nachrichten (vorläufig)",
        "pain_small_data": ("Noch hat kein Journey-Bereich {min_messages} oder mehr Kundennachrichten (der größte hat "
                            "{largest}), daher lässt sich kein Schmerzpunkt belastbar einordnen. Die stärksten "
                            "Signale bisher, vorläufig:"),
        "pain_small_none": ("Noch hat kein Journey-Bereich {min_messages} oder mehr Kundennachrichten (der größte hat "
                            "{largest}), und keiner der kleinen Bereiche enthält eine negative Nachricht."),
        "pain_none_negative": ("Kein Journey-Bereich mit {min_messages} oder mehr Kundennachrichten enthält eine "
                               "negative Nachricht."),
        "pain_no_messages": "Es gibt keine Kundennachrichten, die sich einordnen ließen.",
        "tentative_sentence": ("{negative} von {messages} Kundennachrichten negativ ({share}; n = {messages}, "
                               "vorläufig)"),
        "tentative": "vorläufig",
        "kpi_negative": "negativ",
        "kpi_escalated": "Gespräche eskaliert",
        "top_pain": "Größte Schmerzpunkte",
        "improved": "Was besser wurde",
        "new": "Was neu ist",
        "nothing_improved": "Kein Journey-Bereich hat sich gegenüber der {prev} spürbar verbessert.",
        "nothing_new": "Keine neuen Themen in dieser {period}.",
        "no_topics": "Themen wurden nicht berechnet (mit --topics annotieren, um sie zu sehen).",
        "pain_sentence": "{label}: {share} negative Kundennachrichten{change}, {conversations} Gespräche{escalation}",
        "change_clause": ", {points} zur {prev}",
        "escalation_clause": ", {rate} eskaliert",
        "example": "Beispiel",
        "improved_sentence": "{label}: {share} negativ, {points} zur {prev} ({messages} Nachrichten).",
        "new_topic_sentence": "Neues Thema \u201e{label}\u201c: {messages} Nachrichten ({share} aller).",
        "overview_sentence": ("{messages} Kundennachrichten in {conversations} Gesprächen "
                              "vom {start} bis {end}; davon {negative} negativ."),
        "overview_undated": "{messages} Kundennachrichten in {conversations} Gesprächen; davon {negative} negativ.",
        "escalation_sentence": "Eskalationssignale in {escalated} von {total} Gesprächen ({rate}); {switches}.",
        "coverage_sentence": ("Die Journey-Rangfolge stützt sich auf {mapped} von {total} Kundennachrichten ({share}) "
                              "mit zugeordnetem Kontaktpunkt; die übrigen nennen keinen, den der Mapper erkennt."),
        "switches_none": "niemand wechselte von einem privaten Kanal zu Social Media oder Bewertungen",
        "switches_one": "1 Kundin bzw. Kunde wechselte von einem privaten Kanal zu Social Media oder Bewertungen",
        "switches_many": "{n} Kundinnen und Kunden wechselten von einem privaten Kanal zu Social Media oder Bewertungen",
        "heatmap": "Journey-Heatmap",
        "heatmap_help": ("Farbe: Anteil negativer Kundennachrichten; grau: weniger als {min_messages} Nachrichten. "
                         "Beschriftung: Negativanteil und Zahl der Nachrichten. Maus darüber zeigt ein Zitat, "
                         "ein Klick alle Zitate der Zelle."),
        "heatmap_click": "Eine Zelle der Heatmap anklicken, um ihre Zitate hier zu lesen.",
        "phase": "Phase",
        "touchpoint": "Kontaktpunkt",
        "messages": "Nachrichten",
        "conversations": "Gespräche",
        "negative_share": "Negativ",
        "ci": "95-%-Intervall",
        "change": "Veränderung",
        "escalation_rate": "Eskaliert",
        "signals": "Eskalationssignale",
        "top_intents": "Häufigste Anliegen",
        "quotes": "Belege",
        "rank": "#",
        "score": "Score",
        "pain": "Schmerzpunkte",
        "pain_help": ("Sortiert nach Score: Untergrenze des Negativanteils, Eskalationen und Trend, gewichtet "
                      "nach Volumen. Zellen mit weniger als {min_messages} Nachrichten stehen am Ende (grau)."),
        "low_volume": "wenige Nachrichten",
        "unmapped": "nicht zugeordnet",
        "time": "Stimmung und Volumen im Verlauf",
        "time_help": ("Anteil negativer Kundennachrichten (ab {min_messages} Nachrichten je Punkt) und "
                      "Nachrichtenvolumen je {period} und Journey-Phase."),
        "channels": "Kanalmix",
        "channel": "Kanal",
        "customers": "Kund:innen",
        "customers_unknown": "unbekannt",
        "switches": "Kanalwechsel",
        "switches_help": "Kund:innen, die innerhalb von 30 Tagen den Kanal wechselten (z. B. Chat \u2192 Social Media).",
        "no_switches": "Keine Kanalwechsel gefunden.",
        "from_channel": "Von",
        "to_channel": "Nach",
        "topics": "Themen",
        "topic": "Thema",
        "share": "Anteil",
        "emerging": "neu",
        "keywords": "Schlüsselwörter",
        "intents": "Anliegen je Kontaktpunkt",
        "intents_help": "Anteil der Kundennachrichten eines Kontaktpunkts, die das Anliegen enthalten.",
        "intent": "Anliegen",
        "notes": "Datenbasis",
        "notes_analysed": "Analysiert",
        "notes_period": "Zeitraum",
        "notes_languages": "Sprachen",
        "notes_channels": "Kanäle",
        "notes_quarantine": "Zurückgestellte Zeilen (Quarantäne)",
        "notes_quarantine_none": "keine",
        "notes_quarantine_unknown": "nicht erfasst",
        "notes_errors": "Nachrichten mit Annotationsfehlern",
        "notes_unmapped": "Kundennachrichten ohne Kontaktpunkt",
        "notes_redaction": "Zitate",
        "notes_redacted": "vor der Anzeige PII-geschwärzt (supportinsight.text.pii: E-Mail-Adressen, Telefonnummern \u2026)",
        "notes_models": "Modelle und Schritte (Herkunft)",
        "notes_models_none": "nicht erfasst (Herkunft verloren; provenance= übergeben oder Parquet-Metadaten behalten)",
        "notes_messages": "{messages} Nachrichten (davon {customer} von Kund:innen) in {conversations} Gesprächen",
        "step": "Schritt",
        "version": "Version",
        "columns": "Spalten",
        "none": "keine",
        "unknown": "nicht zugeordnet",
        "md_pain_title": "Schmerzpunkte",
        "footer": "supportinsight {version} \u00b7 alle Zitate sind PII-geschwärzt",
    },
}

#: Labels of ids that are not part of the journey taxonomy.
_FIXED_LABELS: dict[str, dict[str, str]] = {
    "en": {
        # channels
        "email": "E-mail", "chat": "Chat", "phone": "Phone", "social": "Social media", "web_form": "Web form",
        "review": "Review", "survey": "Survey", "other": "Other",
        # intents
        "complaint": "Complaint", "question": "Question", "request": "Request", "praise": "Praise",
        "gratitude": "Thanks", "suggestion": "Suggestion", "churn_threat": "Churn threat",
        "escalation": "Escalation", "urgency": "Urgency",
        # escalation signals (prefixed: churn_threat is an intent and a signal)
        "signal:channel_switch": "channel switch", "signal:repeat_contact": "repeat contact",
        "signal:churn_threat": "churn threat", "signal:escalation_request": "asks to escalate",
        "signal:slow_first_response": "slow first response", "signal:negative_trajectory": "mood turned negative",
        "unknown": "Not mapped",
        # languages: "und" is the ISO 639 code for "undetermined" (the language step was unsure)
        "lang:und": "undetermined", "lang:unknown": "unknown",
    },
    "de": {
        "email": "E-Mail", "chat": "Chat", "phone": "Telefon", "social": "Social Media", "web_form": "Webformular",
        "review": "Bewertung", "survey": "Umfrage", "other": "Sonstiges",
        "complaint": "Beschwerde", "question": "Frage", "request": "Auftrag", "praise": "Lob",
        "gratitude": "Dank", "suggestion": "Vorschlag", "churn_threat": "Kündigungsdrohung",
        "escalation": "Eskalation", "urgency": "Dringlichkeit",
        "signal:channel_switch": "Kanalwechsel", "signal:repeat_contact": "wiederholter Kontakt",
        "signal:churn_threat": "Kündigungsdrohung", "signal:escalation_request": "verlangt Eskalation",
        "signal:slow_first_response": "langsame Erstantwort", "signal:negative_trajectory": "Stimmung kippte ins Negative",
        "unknown": "Nicht zugeordnet",
        "lang:und": "unbestimmt", "lang:unknown": "unbekannt",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise :class:`ConfigError`."""
    if lang not in LANGUAGES:
        raise ConfigError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return lang


def prettify(identifier: str) -> str:
    """``order_tracking`` -> ``Order tracking``: a readable fallback for ids without a label."""
    text = str(identifier).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:] if text else str(identifier)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _decimal(value: float, digits: int, lang: str) -> str:
    text = f"{value:,.{digits}f}"
    if lang == "de":
        # 1,234.5 -> 1.234,5
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_int(value: Any, lang: str) -> str:
    """Thousands-separated integer: ``12,345`` (en) / ``12.345`` (de); ``–`` when missing."""
    if _missing(value):
        return "\u2013"
    return _decimal(float(value), 0, lang)


def fmt_percent(share: Any, lang: str, digits: int = 0) -> str:
    """A share in [0, 1] as percent: ``38%`` (en) / ``38\u00a0%`` (de, DIN 5008 spacing)."""
    if _missing(share):
        return "\u2013"
    number = _decimal(100.0 * float(share), digits, lang)
    return f"{number}\u00a0%" if lang == "de" else f"{number}%"


def fmt_points(change: Any, lang: str) -> str:
    """A change of a share in percentage points: ``+12 pts`` / ``+12 Punkte``; ``–`` when missing."""
    if _missing(change):
        return "\u2013"
    points = 100.0 * float(change)
    digits = 0 if abs(points) >= 9.5 or points == round(points) else 1
    sign = "+" if points > 0 else ("\u2212" if points < 0 else "\u00b1")
    number = _decimal(abs(points), digits, lang)
    if lang == "de":
        unit = "Punkt" if number == "1" else "Punkte"
        return f"{sign}{number}\u00a0{unit}"
    return f"{sign}{number}\u00a0{'pt' if number == '1' else 'pts'}"


def fmt_date(value: Any, lang: str) -> str:
    """``2026-03-02`` (en, ISO) / ``02.03.2026`` (de)."""
    if _missing(value):
        return "\u2013"
    try:
        import pandas as pd

        if pd.isna(value):
            return "\u2013"
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return ts.strftime("%d.%m.%Y") if lang == "de" else ts.strftime("%Y-%m-%d")


def _entries(container: Any) -> Iterable[Any]:
    if container is None:
        return []
    if isinstance(container, Mapping):
        out = []
        for key, value in container.items():
            if isinstance(value, Mapping):
                out.append({"id": key, **value})
            else:
                out.append(value)
        return out
    return list(container)


def _get(entry: Any, name: str, default: Any = None) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name, default)
    return getattr(entry, name, default)


@dataclass
class Labels:
    """Display labels of phases, touchpoints, intents, channels and signals in one language.

    Parameters
    ----------
    lang:
        ``"en"`` or ``"de"``.
    names:
        Id -> label for phases and touchpoints (from the taxonomy).
    phase_order:
        Phase ids in journey order (the taxonomy's order); other phases follow alphabetically.
    touchpoint_phase:
        Touchpoint id -> phase id, used to order touchpoints along the journey.
    """

    lang: str = "en"
    names: dict[str, str] = field(default_factory=dict)
    phase_order: list[str] = field(default_factory=list)
    touchpoint_phase: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_taxonomy(cls, taxonomy: Any, lang: str = "en") -> "Labels":
        """Read ``label_<lang>`` of each phase and touchpoint of a loaded taxonomy.

        Accepts the :class:`~supportinsight.journey.taxonomy.JourneyTaxonomy` (``phases`` and
        ``touchpoints`` as lists or dicts of objects with ``id``, ``label_de``, ``label_en``,
        touchpoints optionally with ``phase``) or the same shape as plain dicts. None gives
        prettified ids.
        """
        check_lang(lang)
        labels = cls(lang=lang)
        if taxonomy is None:
            return labels
        for phase in _entries(_get(taxonomy, "phases")):
            pid = _get(phase, "id")
            if pid is None:
                continue
            labels.phase_order.append(str(pid))
            label = _get(phase, f"label_{lang}") or _get(phase, "label")
            if label:
                labels.names[str(pid)] = str(label)
            # A taxonomy may nest touchpoints under their phase.
            for tp in _entries(_get(phase, "touchpoints")):
                labels._add_touchpoint(tp, str(pid))
        for tp in _entries(_get(taxonomy, "touchpoints")):
            labels._add_touchpoint(tp, None)
        return labels

    def _add_touchpoint(self, tp: Any, phase: str | None) -> None:
        if isinstance(tp, str):
            if phase:
                self.touchpoint_phase.setdefault(tp, phase)
            return
        tid = _get(tp, "id")
        if tid is None:
            return
        label = _get(tp, f"label_{self.lang}") or _get(tp, "label")
        if label:
            self.names[str(tid)] = str(label)
        # The taxonomy lists a touchpoint's phases with the primary one first.
        phases = _get(tp, "phases")
        owner = _get(tp, "phase") or (phases[0] if phases and not isinstance(phases, str) else phases) or phase
        if owner:
            self.touchpoint_phase.setdefault(str(tid), str(owner))

    def __call__(self, identifier: Any) -> str:
        """The label of any id: taxonomy first, then fixed labels, then prettified."""
        if _missing(identifier):
            return _FIXED_LABELS[self.lang]["unknown"]
        key = str(identifier)
        if key in self.names:
            return self.names[key]
        fixed = _FIXED_LABELS[self.lang].get(key)
        return fixed if fixed is not None else prettify(key)

    def signal(self, name: str) -> str:
        """The label of an escalation signal (``slow_first_response`` -> ``slow first response``)."""
        fixed = _FIXED_LABELS[self.lang].get(f"signal:{name}")
        return fixed if fixed is not None else prettify(name).lower()

    def language(self, code: Any) -> str:
        """A language code as the report shows it: ``de``, ``en`` ...; ``und`` -> ``undetermined``."""
        key = "unknown" if _missing(code) else str(code)
        return _FIXED_LABELS[self.lang].get(f"lang:{key}", key)

    def cell(self, phase: Any, touchpoint: Any) -> str:
        """``Delivery and shipping (Retention)``: touchpoint first, its phase in brackets."""
        return f"{self(touchpoint)} ({self(phase)})"

    def phase_rank(self, phase: str) -> tuple[int, str]:
        """Sort key putting phases in journey order, unknown ones after, ``unknown`` last."""
        if phase == "unknown":
            return (len(self.phase_order) + 1, phase)
        if phase in self.phase_order:
            return (self.phase_order.index(phase), "")
        return (len(self.phase_order), phase)


def text(lang: str, key: str, **values: Any) -> str:
    """The report string ``key`` in ``lang``, formatted with ``values``."""
    return STRINGS[check_lang(lang)][key].format(**values)
