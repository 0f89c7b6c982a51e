"""A hand-built annotated frame for the report tests: two weeks of German and English support traffic.

Written by the supportinsight team for tests (Apache-2.0). Every annotation is set by
hand here (no models run), so the expected numbers follow from the table below:
per journey cell the number of customer messages and negative ones in the previous
and in the last week.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# phase, touchpoint, (previous week: messages, negative), (last week: messages, negative)
CELLS: list[tuple[str, str, tuple[int, int], tuple[int, int]]] = [
    ("retention", "delivery", (14, 4), (22, 14)),
    ("consideration", "delivery", (6, 1), (5, 1)),
    ("retention", "billing_invoice", (12, 7), (12, 3)),
    ("purchase", "payment", (6, 2), (9, 4)),
    ("retention", "returns_refunds", (8, 5), (11, 7)),
    ("purchase", "checkout", (7, 1), (8, 2)),
    ("retention", "account_login", (5, 2), (6, 4)),
    ("retention", "app", (6, 1), (5, 1)),
    ("consideration", "pricing", (5, 1), (6, 2)),
    ("advocacy", "reviews_recommendation", (3, 1), (3, 2)),
]

NEGATIVE = {
    "delivery": ["Mein Paket hängt seit 6 Tagen im Verteilzentrum fest 😡 Sendungsverfolgung zeigt nix!",
                 "Tracking says 'in transit' for a week now. Where is my order???",
                 "Schon wieder keine Info zur Lieferung, das ist echt frustrierend",
                 "Der Bote hat das Paket einfach vor die Tür gelegt, jetzt ist es weg 🙄"],
    "billing_invoice": ["Die Rechnung ist doppelt abgebucht worden, bitte sofort korrigieren!",
                        "Invoice shows the wrong VAT again, third time I write about this"],
    "payment": ["PayPal Zahlung wurde abgelehnt obwohl alles stimmt 😤", "Card payment failed twice at checkout"],
    "returns_refunds": ["Warte seit 3 Wochen auf meine Erstattung. Wenn das so weitergeht kündige ich!",
                        "Still no refund after returning the item, I want to speak to a manager"],
    "checkout": ["Gutscheincode funktioniert im Warenkorb nicht", "Checkout page keeps crashing on mobile"],
    "account_login": ["Passwort zurücksetzen geht nicht, Link abgelaufen", "Can't log in since the update 😞"],
    "app": ["App stürzt beim Öffnen ab", "The app is super slow lately"],
    "pricing": ["Warum ist der Versand plötzlich so teuer?", "Prices went up 20% without notice, not cool"],
    "reviews_recommendation": ["Würde ich niemandem empfehlen. 1 Stern.", "Left a 1-star review, service is awful"],
}
OTHER = {
    "delivery": ["Wann kommt meine Bestellung ungefähr an?", "Thanks, the parcel arrived today 👍",
                 "Kann ich eine Abstellgenehmigung erteilen?"],
    "billing_invoice": ["Können Sie mir die Rechnung als PDF schicken?", "Please send me a copy of my invoice"],
    "payment": ["Kann ich auch per Rechnung zahlen?", "Do you accept Apple Pay?"],
    "returns_refunds": ["Danke, die Erstattung ist angekommen 🙏", "How long does a refund usually take?"],
    "checkout": ["Super schneller Bestellprozess, danke!", "Is express shipping available at checkout?"],
    "account_login": ["Wie ändere ich meine E-Mail-Adresse?", "Login works again, thanks"],
    "app": ["Tolle neue App-Version 😍", "Is there a dark mode in the app?"],
    "pricing": ["Gibt es einen Studentenrabatt?", "Do you offer bulk discounts?"],
    "reviews_recommendation": ["Habe euch meiner Schwester empfohlen 😊", "Five stars, great support!"],
}
INTENTS = {"negative": ["complaint", "complaint", "request", "urgency"], "other": ["question", "praise", "gratitude"]}
CHANNELS = ["chat", "email", "email", "chat", "phone", "web_form", "social"]

LAST_WEEK = pd.Timestamp("2026-03-09 08:00", tz="UTC")   # a Monday
PREVIOUS_WEEK = LAST_WEEK - pd.Timedelta(days=7)


def build_annotated(*, extra_messages: list[str] | None = None, topics: bool = False) -> pd.DataFrame:
    """The annotated frame; ``extra_messages`` are added as negative delivery complaints."""
    rng = np.random.default_rng(7)
    rows: list[dict] = []
    conv = 0

    def add(phase, tp, text, negative, when, channel, customer, intent, conv_id=None):
        nonlocal conv
        if conv_id is None:
            conv += 1
            conv_id = f"c{conv:04d}"
        mid = f"m{len(rows):05d}"
        score = -0.6 - 0.3 * rng.random() if negative else 0.1 + 0.6 * rng.random()
        if customer.startswith("xss"):
            score = -0.99  # most negative: always among the quoted evidence
        rows.append({
            "conversation_id": conv_id, "message_id": mid, "timestamp": when, "channel": channel,
            "author_role": "customer", "author_id": customer, "subject": None, "text": text, "body": text,
            "source": f"sample.csv:{len(rows) + 2}", "language": "de" if any(ch in text for ch in "äöüß") or
            text.split()[0] in {"Mein", "Der", "Die", "Kann", "Können", "Warte", "Schon", "Wann", "Danke,", "Wie",
                                "Passwort", "App", "Gutscheincode", "Super", "Tolle", "PayPal", "Warum", "Gibt",
                                "Würde", "Habe"} else "en",
            "emojis": [], "sentiment": "negative" if negative else ("positive" if score > 0.4 else "neutral"),
            "sentiment_score": round(float(score), 3), "sentiment_confidence": 0.8,
            "intent": intent, "intents": [intent], "intent_confidence": 0.7, "journey_phase": phase,
            "touchpoint": tp, "touchpoint_kind": "process", "mapping_confidence": 0.8,
            "mapping_evidence": tp, "annotation_errors": "",
        })
        # The agent answers: 2 h later, or 30 h later for every fifth conversation (slow first response).
        delay = pd.Timedelta(hours=30 if conv % 5 == 0 else 2)
        rows.append({**rows[-1], "message_id": mid + "a", "timestamp": when + delay, "author_role": "agent",
                     "author_id": "agent-1", "text": "Danke für Ihre Nachricht, wir kümmern uns darum.",
                     "body": "Danke für Ihre Nachricht, wir kümmern uns darum.", "sentiment": "neutral",
                     "sentiment_score": 0.0, "intent": "other", "intents": ["other"],
                     "source": f"sample.csv:{len(rows) + 2}"})
        return conv_id

    customer = 0
    for phase, tp, prev, last in CELLS:
        for start, (n, k) in ((PREVIOUS_WEEK, prev), (LAST_WEEK, last)):
            for i in range(n):
                negative = i < k
                pool = NEGATIVE[tp] if negative else OTHER[tp]
                text = pool[i % len(pool)]
                when = start + pd.Timedelta(hours=int(rng.integers(0, 6 * 24)))
                customer += 1
                intent = INTENTS["negative" if negative else "other"][i % (4 if negative else 3)]
                if "kündige" in text:
                    intent = "churn_threat"
                if "manager" in text:
                    intent = "escalation"
                add(phase, tp, text, negative, when, CHANNELS[i % len(CHANNELS)], f"cust{customer:04d}", intent)
    # Channel switches: chat first, then public on social two days later (same customer).
    for j in range(4):
        who = f"switcher{j}"
        when = LAST_WEEK + pd.Timedelta(hours=10 + j)
        add("retention", "delivery", "Chat hilft mir nicht weiter, wo ist mein Paket?", True, when,
            "chat", who, "complaint")
        add("retention", "delivery", "@shop seit Tagen keine Antwort im Chat. Paket weg. Danke für nichts 👎",
            True, when + pd.Timedelta(days=2), "social", who, "complaint")
    for j, text in enumerate(extra_messages or []):
        add("retention", "delivery", text, True, LAST_WEEK + pd.Timedelta(hours=3 + j), "chat",
            f"xss{j}", "complaint")
    frame = pd.DataFrame(rows)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["channel"] = frame["channel"].astype(pd.CategoricalDtype(
        ("email", "chat", "phone", "social", "web_form", "review", "survey", "other")))
    frame["author_role"] = frame["author_role"].astype(pd.CategoricalDtype(("customer", "agent", "bot", "unknown")))
    if topics:
        label = {"delivery": (0, "Paket verspätet / tracking"), "billing_invoice": (1, "Rechnung falsch / invoice"),
                 "returns_refunds": (2, "Erstattung dauert / refund")}
        frame["topic_id"] = [label.get(tp, (-1, ""))[0] for tp in frame["touchpoint"]]
        frame["topic_label"] = [label.get(tp, (-1, "Outliers"))[1] for tp in frame["touchpoint"]]
        # Price complaints appear only in the last week: an emerging topic.
        new = (frame["touchpoint"] == "pricing") & (frame["timestamp"] >= LAST_WEEK)
        frame.loc[new, "topic_id"] = 3
        frame.loc[new, "topic_label"] = "Preise gestiegen / prices"
    frame.attrs["supportinsight_steps"] = [
        {"step": "language", "version": "py3langid-0.3", "columns": ["language"]},
        {"step": "sentiment", "version": "si-sentiment-1", "columns": ["sentiment", "sentiment_score",
                                                                       "sentiment_confidence"]},
        {"step": "intent", "version": "support-intents-v1", "columns": ["intent", "intents", "intent_confidence"]},
        {"step": "journey", "version": "default-taxonomy-1", "columns": ["journey_phase", "touchpoint"]},
    ]
    frame.attrs["quarantined_rows"] = 3
    return frame
