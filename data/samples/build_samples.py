"""Build the sample exports in data/samples/ from the conversations written below.

Every text here was written by the supportinsight team for these samples; names,
e-mail addresses, phone numbers, order numbers and IBANs are made up (fake PII,
so that the PII redactor has something to find). The shop is "ElektroHaus", an
online shop + app for electronics and household goods.

Eight weeks, Monday 2026-08-31 to Sunday 2026-10-25. Delivery and customer
service get clearly worse in weeks 7-8; the rest is mixed.

    python data/samples/build_samples.py      # writes the sample files
    python data/samples/build_xlsx.py         # writes tickets_webform.xlsx from xlsx_source/tickets_webform.csv

Deliberately broken rows are marked BROKEN below and listed in README.md.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

HERE = Path(__file__).resolve().parent
START = datetime(2026, 8, 31)


def at(week: int, day: int, hhmm: str) -> datetime:
    """Week 1-8, day 0 (Mon) - 6 (Sun), 'HH:MM'."""
    h, m = map(int, hhmm.split(":"))
    return START + timedelta(days=7 * (week - 1) + day, hours=h, minutes=m)


# --------------------------------------------------------------------------- A. German generic ticket export
# One row per comment, ';', cp1252 (Excel on Windows), decimal commas, German dates. No emojis (cp1252).
TICKETS_DE = [
    # (ticket, week, day, time, name, email, subject, value, channel, [(role, minutes after start, text)])
    ("T-20114", 1, 1, "09:12", "Klaus Wagner", "k.wagner@web.de", "Frage zu Garantie Kaffeevollautomat", "649,00",
     "E-Mail", [
         ("Kunde", 0, "Guten Tag, gilt bei dem Kaffeevollautomat Barista X2 die Herstellergarantie 2 oder 3 Jahre? "
                      "Will vor dem Kauf sicher sein. MfG K. Wagner"),
         ("Agent", 95, "Hallo Herr Wagner, beim Barista X2 gibt der Hersteller 3 Jahre Garantie, wenn Sie das Gerät "
                       "innerhalb von 30 Tagen registrieren. Viele Grüße, Lisa vom ElektroHaus Kundenservice"),
         ("Kunde", 180, "Super, danke für die schnelle Antwort. Dann bestell ich heute noch."),
     ]),
    ("T-20131", 1, 3, "14:40", "Sabine Hoffmann", "sabine.hoffmann@t-online.de", "Rechnung falsche Adresse", "89,99",
     "Kontaktformular", [
         ("Kundin", 0, "Hallo, auf meiner Rechnung RE-2026-55871 steht noch meine alte Adresse (Lindenweg 4, 50667 Köln). "
                       "Brauche die für die Steuer mit der neuen Adresse. Können Sie das ändern?"),
         ("Agent", 300, "Hallo Frau Hoffmann, wir haben die Rechnung korrigiert und Ihnen neu zugeschickt. "
                        "Viele Grüße, Tobias"),
         ("Kundin", 1400, "Ist angekommen, passt jetzt. Danke!"),
     ]),
    ("T-20188", 2, 0, "08:03", "Peter Schulz", "peter.schulz@gmx.de", "Staubsauger defekt nach 2 Wochen", "229,00",
     "E-Mail", [
         ("Kunde", 0, "Der Akku-Staubsauger VX-7 geht nach 2 Wochen einfach aus, Akku voll geladen. Sehr ärgerlich. "
                      "Bestellnummer 40017733. Was jetzt?"),
         ("Agent", 240, "Hallo Herr Schulz, das tut uns leid. Bitte schicken Sie das Gerät mit dem Retourenlabel im "
                        "Anhang zurück, wir tauschen es sofort aus."),
         ("Kunde", 2900, "Austauschgerät ist da und läuft. Ging schneller als gedacht :-)"),
     ]),
    ("T-20203", 2, 2, "19:55", "Ayse Yilmaz", "ayse.yilmaz@outlook.de", "Bezahlung mit PayPal geht nicht", "49,90",
     "Kontaktformular", [
         ("Kundin", 0, "Beim bezahlen mit paypal kommt immer 'Zahlung fehlgeschlagen' obwohl mein konto gedeckt ist. "
                       "Hab es 3 mal probiert :-("),
         ("Agent", 720, "Hallo Frau Yilmaz, wir hatten gestern Abend eine Störung bei der PayPal-Anbindung. "
                        "Jetzt sollte es wieder gehen. Entschuldigen Sie bitte."),
         ("Kundin", 800, "Hat jetzt geklappt, danke."),
     ]),
    ("T-20266", 3, 1, "11:20", "Jürgen Becker", "juergen.becker@freenet.de", "Widerruf Bestellung 40018902", "1.299,00",
     "E-Mail", [
         ("Kunde", 0, "Hiermit widerrufe ich die Bestellung 40018902 (Fernseher 65 Zoll). Ware ist noch nicht "
                      "versendet. Bitte um Bestätigung und Rückzahlung auf DE89 3704 0044 0532 0130 00."),
         ("Agent", 150, "Hallo Herr Becker, die Bestellung ist storniert, der Betrag von 1.299,00 EUR wird in "
                        "3-5 Werktagen zurückgebucht."),
     ]),
    ("T-20301", 4, 3, "16:45", "Monika Fischer", "monika.fischer@web.de", "Rücksendung Mixer", "79,00",
     "E-Mail", [
         ("Kundin", 0, "Habe den Mixer vor 3 Wochen zurückgeschickt, Sendungsnummer 00340434161094015902. "
                       "Geld ist immer noch nicht da. Wie lange dauert das denn noch?"),
         ("Agent", 1500, "Hallo Frau Fischer, die Rücksendung ist gestern im Lager eingegangen, die Erstattung "
                         "ist veranlasst."),
         ("Kundin", 4400, "Geld ist da. Hat aber echt lange gedauert."),
     ]),
    ("T-20355", 5, 0, "10:10", "Thomas Richter", "t.richter@gmail.com", "Login in App nicht möglich", "",
     "Kontaktformular", [
         ("Kunde", 0, "Seit dem Update komme ich nicht mehr in die App, es kommt 'Sitzung abgelaufen' und dann "
                      "wieder die Anmeldung. Passwort zurücksetzen hat nix gebracht."),
         ("Agent", 200, "Hallo Herr Richter, bitte App einmal löschen und neu installieren, das Update 4.2.1 "
                        "behebt den Fehler."),
         ("Kunde", 260, "Jo, geht wieder. Danke"),
     ]),
    ("T-20412", 7, 0, "07:48", "Heike Zimmermann", "heike.zimmermann@gmx.net", "Wo bleibt meine Lieferung???",
     "349,00", "E-Mail", [
         ("Kundin", 0, "Meine Waschmaschine sollte letzten Dienstag kommen. Bis heute nichts, keine Info, "
                       "Sendungsverfolgung zeigt seit 6 Tagen 'in Zustellung'. Ich hab extra Urlaub genommen!!! "
                       "Bestellnummer 40021150."),
         ("Agent", 2880, "Hallo Frau Zimmermann, die Spedition hat aktuell grosse Verzögerungen. Wir haben "
                         "nachgefragt und melden uns."),
         ("Kundin", 4300, "Zwei Tage für diese Antwort?? Und immer noch kein Termin. Das ist eine Frechheit. "
                          "Ich will jetzt einen festen Liefertermin oder ich storniere."),
         ("Agent", 7300, "Die Spedition liefert am Freitag zwischen 8 und 12 Uhr. Als Entschuldigung erhalten "
                         "Sie einen Gutschein über 20 EUR."),
     ]),
    ("T-20437", 7, 2, "13:30", "Frank Wolf", "frank.wolf@arcor.de", "Hotline nicht erreichbar", "", "Telefon", [
         ("Kunde", 0, "Ich habe heute 3x bei der Hotline 030 12345678 angerufen und jedes Mal nach 40 Minuten "
                      "Warteschleife aufgelegt. Wozu gibt es die Nummer überhaupt?"),
         ("Mitarbeiter", 1700, "Hallo Herr Wolf, entschuldigen Sie die Wartezeit, wir haben gerade sehr viele "
                               "Anfragen. Worum geht es denn?"),
         ("Kunde", 1900, "Um meine Reklamation von vor 2 Wochen, auf die auch niemand antwortet. Langsam reicht es."),
     ]),
    ("T-20470", 8, 1, "09:05", "Claudia Neumann", "claudia.neumann@posteo.de", "Paket beschädigt angekommen",
     "119,00", "E-Mail", [
         ("Kundin", 0, "Der Karton war völlig zerdrückt und der Toaster hat eine Delle. Fotos habe ich gemacht. "
                       "Und das nach 9 Tagen Lieferzeit statt 2. Nicht gut."),
         ("Agent", 3000, "Hallo Frau Neumann, bitte senden Sie uns die Fotos, dann schicken wir sofort Ersatz."),
         ("Kundin", 3100, "Fotos habe ich schon am Montag über das Formular geschickt. Liest das keiner?"),
     ]),
    ("T-20488", 8, 3, "18:22", "Stefan Krüger", "stefan.krueger@web.de", "Lieferung seit 12 Tagen unterwegs",
     "59,90", "E-Mail", [
         ("Kunde", 0, "Paket seit 12 Tagen unterwegs, DHL sagt es liegt im Verteilzentrum. Euer Support antwortet "
                      "nicht. Nie wieder."),
         ("Agent", 2600, "Hallo Herr Krüger, wir haben einen Nachforschungsauftrag gestartet und senden die Ware "
                         "neu, falls das Paket bis Montag nicht auftaucht."),
     ]),
]


def build_tickets_de() -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Ticket-Nr.", "Datum", "Rolle", "Name", "E-Mail", "Betreff", "Nachricht", "Kanal", "Bestellwert"])
    for tid, week, day, hhmm, name, mail, subject, value, channel, turns in TICKETS_DE:
        start = at(week, day, hhmm)
        for role, minutes, text in turns:
            is_cust = role in ("Kunde", "Kundin")
            w.writerow([tid, (start + timedelta(minutes=minutes)).strftime("%d.%m.%Y %H:%M"), role,
                        name if is_cust else "ElektroHaus Service", mail if is_cust else "", subject, text,
                        channel, value])
    # BROKEN 1: an unquoted ';' inside the message splits it into too many fields
    buf.write("T-20499;24.10.2026 12:00;Kunde;Uwe Braun;uwe.braun@web.de;Frage;Hallo; ich habe eine Frage "
              "zur Lieferung; wann kommt sie?;E-Mail;25,00\r\n")
    # BROKEN 2: a date that does not exist
    w.writerow(["T-20500", "31.02.2026 09:00", "Kunde", "Eva Koch", "eva.koch@gmx.de", "Gutschein",
                "Mein Gutschein GS-7781 wird im Checkout nicht angenommen.", "Kontaktformular", "0,00"])
    (HERE / "tickets_generic_de.csv").write_bytes(buf.getvalue().encode("cp1252"))


# --------------------------------------------------------------------------- B. Zendesk JSON
AGENTS_ZD = [{"id": 900001, "name": "Chris Miller", "email": "chris.miller@elektrohaus.example", "role": "agent"},
             {"id": 900002, "name": "Lisa Brandt", "email": "lisa.brandt@elektrohaus.example", "role": "agent"},
             {"id": 900003, "name": "Mehmet Kaya", "email": "mehmet.kaya@elektrohaus.example", "role": "admin"}]
ZD = [
    # (id, week, day, time, channel, requester (id, name, email), subject, tags, [(author id or 'r', hours, public, text)])
    (51001, 1, 2, "10:15", "email", (700101, "Emily Carter", "emily.carter@gmail.com"),
     "Does the air fryer ship to Austria?", ["pre_sales"], [
         ("r", 0, True, "Hi there, do you ship the AirCrisp 5L to Austria, and how much is shipping? Thanks!"),
         (900001, 3, True, "Hi Emily, yes, we ship to Austria for 6.90 EUR, delivery takes 3-4 business days. Best, Chris"),
         ("r", 5, True, "Perfect, just ordered it 👍"),
     ]),
    (51017, 2, 4, "15:02", "web", (700102, "Markus Lehmann", "markus.lehmann@gmx.de"),
     "Gutscheincode funktioniert nicht", ["checkout", "voucher"], [
         ("r", 0, True, "Hallo, der Newsletter-Gutschein WILLKOMMEN10 wird im Warenkorb als ungültig angezeigt 🤔"),
         (900002, 0.5, False, "Interne Notiz: Code war nur bis 31.08. gültig, Kampagne verlängern? @Mehmet"),
         (900002, 1, True, "Hallo Herr Lehmann, wir haben den Code verlängert, er funktioniert jetzt wieder. Viele Grüße, Lisa"),
         ("r", 2, True, "Danke, hat geklappt!"),
     ]),
    (51044, 3, 3, "09:40", "email", (700103, "Daniel Brooks", "d.brooks@outlook.com"),
     "Wrong item delivered", ["delivery", "wrong_item"], [
         ("r", 0, True, "Hello, I ordered the black kettle (order 40019221) and got a white toaster instead. "
                        "Not a big deal but I need the kettle by the weekend.\n\nBest regards\nDaniel Brooks\n+44 7700 900123"),
         (900001, 4, True, "Hi Daniel, sorry for the mix-up! The kettle is on its way with express shipping, "
                           "keep the toaster as a gift. Best, Chris"),
         ("r", 28, True, "Wow, thank you, that's really nice of you 😊\n\nOn Thu, Sep 17, 2026 at 1:40 PM ElektroHaus "
                         "Support <support@elektrohaus.example> wrote:\n> Hi Daniel, sorry for the mix-up!\n> The kettle is on its way"),
     ]),
    (51080, 4, 1, "20:11", "web", (700104, "Laura Schmitt", "laura.schmitt@icloud.com"),
     "App stürzt beim Bezahlen ab", ["app", "payment"], [
         ("r", 0, True, "Die App (iOS) stürzt jedes Mal ab wenn ich auf 'Jetzt kaufen' tippe. iPhone 13, neueste Version. 😤"),
         (900003, 12, False, "Bekannter Bug in 4.2.0, Fix kommt mit 4.2.1 am Donnerstag."),
         (900002, 13, True, "Hallo Frau Schmitt, das ist ein bekannter Fehler, das Update kommt diese Woche. Bis dahin "
                            "klappt die Bestellung über die Website. Sorry für den Ärger!"),
         ("r", 14, True, "ok, dann eben über die Website. Nervt trotzdem."),
     ]),
    (51102, 5, 2, "12:00", "email", (700105, "Oliver Hughes", "oliver.hughes@yahoo.co.uk"),
     "Invoice needed with VAT ID", ["invoice", "b2b"], [
         ("r", 0, True, "Hi, could you reissue invoice INV-2026-88123 with our VAT ID GB123456789? Our accounting needs it."),
         (900001, 6, True, "Hi Oliver, done, the corrected invoice is attached. Kind regards, Chris"),
     ]),
    (51160, 7, 1, "08:30", "email", (700106, "Sophie Turner", "sophie.t@gmail.com"),
     "Still no delivery after 10 days", ["delivery", "escalation"], [
         ("r", 0, True, "My order 40021388 was supposed to arrive last Monday. Tracking hasn't moved in a week and "
                        "nobody answers the chat. This is ridiculous 😡"),
         (900001, 30, True, "Hi Sophie, I'm really sorry. Our carrier has massive delays at the moment. I've opened "
                            "an investigation."),
         ("r", 50, True, "An investigation? I need the vacuum, not an investigation. Please refund me.\n\n"
                         "-----Original Message-----\nFrom: ElektroHaus Support\nSent: Tuesday, October 13, 2026 2:30 PM\n"
                         "To: Sophie Turner\nSubject: RE: Still no delivery after 10 days\n\nHi Sophie, I'm really sorry."),
         (900002, 52, False, "Refund approved, 189.00 EUR, carrier claim filed."),
         (900001, 53, True, "Refund of 189.00 EUR is on its way. Again, very sorry."),
     ]),
    (51177, 7, 3, "17:05", "web", (700107, "Nina Vogel", "nina.vogel@web.de"),
     "Seit 2 Wochen keine Antwort!!", ["service", "escalation"], [
         ("r", 0, True, "Ich habe am 1.10. eine Reklamation zu meinem Föhn geschickt (Ticket 51002) und bis heute "
                        "KEINE Antwort. Auch am Telefon nur Warteschleife. So einen schlechten Service hab ich noch nie erlebt 👎"),
         (900002, 20, True, "Hallo Frau Vogel, es tut mir sehr leid, dass Sie so lange warten mussten. Ich kümmere "
                            "mich jetzt persönlich darum, der Ersatzföhn geht morgen raus."),
         ("r", 26, True, "Na endlich. Mal sehen ob er wirklich kommt."),
     ]),
    (51203, 8, 2, "11:45", "email", (700108, "James Wilson", "jwilson@hotmail.com"),
     "Cancel my order", ["cancellation", "delivery"], [
         ("r", 0, True, "Please cancel order 40022004. It's been 9 days and it hasn't even shipped. I'll buy elsewhere."),
         (900001, 26, True, "Hi James, the order has been cancelled and refunded. We're sorry we let you down."),
     ]),
    # BROKEN 3: a ticket exported without its comments list
    (51999, 8, 4, "10:00", "email", (700109, "Ralf Peters", "ralf.peters@gmx.de"), "Export ohne Kommentare", [], None),
]

ZD[-1:-1] = [
    (51060, 3, 5, "10:00", "chat", (700110, "Hanna Berg", "hanna.berg@gmx.de"), "Verpackung viel zu groß",
     ["packaging", "feedback"], [
         ("r", 0, True, "Für eine Handyhülle ein Karton in Schuhkartongröße mit Luftpolstern... geht das nicht nachhaltiger? 🌍"),
         (900002, 5, True, "Hallo Frau Berg, danke für das Feedback! Wir stellen gerade auf kleinere Versandtaschen um."),
     ]),
    (51130, 6, 0, "09:30", "email", (700111, "George Evans", "george.evans@gmail.com"), "Price question before buying",
     ["pre_sales"], [
         ("r", 0, True, "Hi, will the Barista X2 be on sale for Black Friday? Happy to wait if so."),
         (900001, 4, True, "Hi George, we can't share upcoming prices, but we do offer a 14-day price guarantee. Best, Chris"),
         ("r", 6, True, "Fair enough, ordering now then. Thanks!"),
     ]),
    (51190, 8, 0, "07:45", "web", (700112, "Katja Schulte", "katja.schulte@web.de"), "Schon wieder Lieferverzug",
     ["delivery", "escalation"], [
         ("r", 0, True, "Ich habe am 7.10. bestellt, Lieferung war für den 12.10. zugesagt. Jetzt steht da 'voraussichtlich 28.10.'. "
                        "Warum bekomme ich darüber keine Info?! Und am Telefon 50 Minuten gewartet. 😡"),
         (900003, 30, False, "Spedition Nord überlastet, alle Aufträge KW 42 betroffen."),
         (900002, 31, True, "Hallo Frau Schulte, es tut mir sehr leid. Unsere Spedition ist überlastet. Ich habe Ihnen die Versandkosten erstattet."),
         ("r", 33, True, "Die Versandkosten waren 4,90 €. Ich will einfach mein Sofa-Zubehör. Enttäuschend."),
     ]),
]


def build_zendesk() -> None:
    tickets, users = [], list(AGENTS_ZD)
    for tid, week, day, hhmm, channel, (rid, rname, rmail), subject, tags, comments in ZD:
        start = at(week, day, hhmm)
        users.append({"id": rid, "name": rname, "email": rmail, "role": "end-user"})
        t = {"id": tid, "subject": subject, "status": "solved" if week < 8 else "open", "priority": "normal",
             "requester_id": rid, "created_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "via": {"channel": channel}, "tags": tags}
        if comments is not None:
            t["comments"] = []
            for i, (author, hours, public, text) in enumerate(comments, start=1):
                t["comments"].append({
                    "id": tid * 100 + i, "author_id": rid if author == "r" else author, "public": public,
                    "body": text, "created_at": (start + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")})
        tickets.append(t)
    # BROKEN 4: a comment without body (attachment-only upload)
    tickets[3]["comments"].append({"id": 5108099, "author_id": 700104, "public": True, "body": None,
                                   "attachments": [{"file_name": "screenshot.png"}],
                                   "created_at": "2026-09-22T20:30:00Z"})
    doc = {"tickets": tickets, "users": users, "count": len(tickets)}
    (HERE / "tickets_zendesk.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------- C. Freshdesk CSV
FD = [
    # (id, week, day, time, source, name, email, subject, description, status, type)
    (3101, 1, 0, "08:20", "Portal", "Anna Lang", "anna.lang@gmx.de", "Lieferzeit Kühlschrank",
     "Hallo, wie lange dauert die Lieferung vom Kühlschrank KG-400 nach 80331 München? Brauche ihn bis Ende nächster Woche.", "Closed", "Question"),
    (3108, 1, 4, "13:02", "Email", "Ben Harris", "ben.harris@gmail.com", "Great service!",
     "Just wanted to say thanks to Mehmet on the hotline, he sorted out my warranty claim in 5 minutes. Brilliant! 🙌", "Closed", "Feedback"),
    (3115, 2, 1, "10:44", "Email", "Lena Krause", "lena.krause@web.de", "Kreditkarte doppelt belastet",
     "Meine Kreditkarte wurde für Bestellung 40018120 zweimal mit 74,99 € belastet!! Bitte einmal zurückbuchen. Karte endet auf 4421.", "Closed", "Problem"),
    (3121, 2, 5, "21:17", "Portal", "Tim Berger", "tim.berger@outlook.de", "Bewertung Smartwatch",
     "Smartwatch ist top, Akku hält 5 Tage 😍 nur die Anleitung ist nur auf Englisch, wäre schön auf deutsch.", "Closed", "Feedback"),
    (3130, 3, 2, "09:09", "Email", "Grace Lee", "grace.lee@protonmail.com", "Damaged packaging",
     "The box of my blender arrived torn open, the blender seems fine though. Just FYI, your packaging could be better.", "Closed", "Problem"),
    (3142, 3, 4, "16:30", "Phone", "Horst Meier", "horst.meier@t-online.de", "Rückruf Bitte",
     "Kunde bittet um Rückruf wegen Montage der Dunstabzugshaube, Tel. 0171 2345678.", "Closed", "Question"),
    (3150, 4, 0, "11:11", "Email", "Mia Schröder", "mia.schroeder@gmail.com", "Rückgabe Kopfhörer",
     "Hi, ich möchte die Kopfhörer zurückgeben, passen mir nicht. Wie geht das? Retourenlabel finde ich nicht im Konto.\n\n"
     "Viele Grüße\nMia\n\nVon meinem iPhone gesendet", "Closed", "Question"),
    (3166, 4, 3, "14:25", "Chat", "Ryan Cooper", "ryan.cooper@gmail.com", "Newsletter unsubscribe",
     "I unsubscribed from the newsletter twice and I'm still getting 3 emails a week. Please remove me for real.", "Closed", "Problem"),
    (3171, 5, 1, "10:03", "Email", "Julia Hahn", "julia.hahn@web.de", "Lieferung verspätet",
     "Die Lieferung ist schon 2 Tage über dem angegebenen Termin. Kommt die noch diese Woche?", "Closed", "Question"),
    (3185, 5, 4, "19:40", "Portal", "Lukas Franke", "lukas.franke@posteo.de", "Rechnung fehlt",
     "Rechnung war nicht im Paket und im Kundenkonto auch nicht zu finden. Bitte per Mail an lukas.franke@posteo.de", "Closed", "Question"),
    (3199, 6, 2, "08:58", "Email", "Chloe Adams", "chloe.adams@yahoo.com", "Loving the new app",
     "The new app update is so much faster, finally can track my order properly. Well done 👏", "Closed", "Feedback"),
    (3204, 6, 3, "12:12", "Feedback Widget", "Paul Schuster", "paul.schuster@gmx.de", "Checkout Adresse",
     "Im Checkout kann man keine Packstation als Lieferadresse eingeben, Feld 'Straße' akzeptiert 'Packstation 123' nicht.", "Open", "Problem"),
    (3219, 7, 0, "09:31", "Email", "Hannah Wright", "hannah.w@gmail.com", "Where is my order??",
     "Ordered a coffee machine 12 days ago, still not shipped, no email, nothing. Chat says 'high volume', phone queue 50 min. Terrible. 😤", "Open", "Problem"),
    (3224, 7, 2, "15:15", "Email", "Felix Wagner", "felix.wagner@gmx.de", "Keine Reaktion vom Support",
     "Ich schreibe jetzt zum dritten Mal wegen meiner defekten Mikrowelle (Bestellung 40020077). Keine Antwort. Ist da überhaupt jemand?", "Open", "Problem"),
    (3237, 8, 0, "10:50", "Email", "Marie Koch", "marie.koch@web.de", "Lieferung nicht angekommen",
     "Laut DHL zugestellt, aber hier ist nichts angekommen. Nachbarn haben auch nichts. Bitte klären!!! 😡", "Open", "Problem"),
    (3241, 8, 2, "13:33", "Phone", "Kevin Zimmer", "kevin.zimmer@gmail.com", "Warteschleife",
     "Kunde beschwert sich über 1 Stunde Warteschleife und dass die Lieferung von letzter Woche immer noch fehlt. Sehr verärgert.", "Open", "Problem"),
    (3250, 8, 4, "17:01", "Email", "Olivia Brown", "olivia.brown@gmail.com", "Delayed again",
     "Second time my delivery date was pushed back. I'm done waiting, cancel it please.", "Open", "Problem"),
]


def build_freshdesk() -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Agent", "Group",
                "Created time", "Last update time", "Full name", "Email", "Tags"])
    for tid, week, day, hhmm, source, name, mail, subject, desc, status, typ in FD:
        t = at(week, day, hhmm)
        w.writerow([tid, subject, desc, status, "Medium", source, typ, "Tobias Roth" if tid % 2 else "Chris Miller",
                    "Support DE" if "ä" in desc or "ü" in desc or "ö" in desc else "Support EN",
                    t.strftime("%Y-%m-%d %H:%M:%S"), (t + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
                    name, mail, ""])
    # BROKEN 5: an unreadable creation time
    w.writerow([3260, "Test", "Bitte ignorieren, Testticket vom Admin", "Closed", "Low", "Portal", "Question", "",
                "", "gestern", "", "Admin Test", "admin@elektrohaus.example", ""])
    (HERE / "tickets_freshdesk.csv").write_text(buf.getvalue(), encoding="utf-8-sig")


# --------------------------------------------------------------------------- D. Web form (XLSX via build_xlsx.py)
WEBFORM = [
    ("WF-1001", 1, 5, "11:00", "Noah Jung", "noah.jung@gmx.de", "Produktfrage", "Hat der Saugroboter R5 eine Kartenfunktion für mehrere Etagen?", "449,00"),
    ("WF-1002", 2, 0, "09:30", "Isabella Rossi", "isabella.rossi@gmail.com", "Product question", "Is the 55\" TV wall mount included or do I need to buy it separately?", "799,00"),
    ("WF-1003", 2, 3, "18:05", "Leon Hartmann", "leon.hartmann@web.de", "Zahlung", "Kauf auf Rechnung wird mir nicht angeboten, warum? Hab schon oft bei euch bestellt.", "310,50"),
    ("WF-1004", 3, 6, "22:14", "Ella Busch", "ella.busch@t-online.de", "Lob", "Wollte nur sagen: Lieferung am nächsten Tag, super verpackt, alles top! 👍😊", "35,99"),
    ("WF-1005", 4, 2, "07:50", "Jack Thompson", "jack.thompson@gmail.com", "Account", "Can't reset my password, the reset email never arrives (checked spam).", ""),
    ("WF-1006", 5, 1, "13:13", "Lina Walter", "lina.walter@posteo.de", "Defekt", "Wasserkocher leckt am Boden nach 1 Woche. Ersatz oder Geld zurück bitte.", "39,90"),
    ("WF-1007", 5, 5, "10:40", "Henry Clark", "henry.clark@outlook.com", "Price match", "Your competitor sells the same blender 20 EUR cheaper, do you price match?", "129,00"),
    ("WF-1008", 6, 0, "16:20", "Emma König", "emma.koenig@gmail.com", "Kündigung Garantieverlängerung", "Ich möchte meine Garantieverlängerung (Vertrag GV-22817) kündigen.", "49,00"),
    ("WF-1009", 7, 1, "08:08", "Mila Schwarz", "mila.schwarz@web.de", "Lieferung", "Paket liegt seit 8 Tagen im Depot und keiner kann mir sagen warum. Euer Chat-Bot versteht mich nicht. 😠", "89,00"),
    ("WF-1010", 7, 4, "19:19", "William Scott", "will.scott@gmail.com", "Support", "I've been waiting 10 days for a reply to my refund request. Is anyone reading these?", "249,00"),
    ("WF-1011", 8, 1, "12:01", "Clara Braun", "clara.braun@gmx.de", "Lieferung", "Dritte Lieferverschiebung!! Ich hätte lieber gleich beim Elektromarkt um die Ecke gekauft.", "529,00"),
    ("WF-1012", 8, 3, "09:45", "Paul Weber", "paul.weber@web.de", "Beschwerde Service", "Im Chat 30 min gewartet, dann Verbindung weg. Telefon auch dauerbesetzt. Katastrophe.", ""),
    # BROKEN 6: the form was sent empty
    ("WF-1013", 8, 5, "23:59", "Bot Test", "", "Test", "", ""),
]


def build_webform_csv() -> None:
    path = HERE / "xlsx_source" / "tickets_webform.csv"
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "created_at", "name", "email", "subject", "message", "channel", "order_value"])
        for fid, week, day, hhmm, name, mail, subject, msg, value in WEBFORM:
            w.writerow([fid, at(week, day, hhmm).isoformat(timespec="minutes"), name, mail, subject, msg,
                        "web_form", value.replace(".", "").replace(",", ".") if value else ""])


# --------------------------------------------------------------------------- E. Chat widget JSON
# (id, week, day, time, customer {id, name, email} or None, [(speaker, seconds after start, text)])
CHATS = [
    ("c-8801", 1, 1, "19:02", {"id": "K-100871", "name": "Max Müller", "email": "max.mueller@gmail.com"}, [
        ("Bot", 0, "Hallo! Ich bin Eli, der digitale Assistent von ElektroHaus. Wie kann ich helfen?"),
        ("Max Müller", 20, "hi, passt der Akku vom VX-5 auch in den VX-7?"),
        ("Bot", 25, "Dazu verbinde ich dich mit einer Kollegin aus dem Team."),
        ("Sarah (Kundenservice)", 140, "Hallo Max, nein leider nicht, der VX-7 hat einen größeren Akku (AK-700)."),
        ("Max Müller", 200, "ok schade, danke trotzdem :)"),
    ]),
    ("c-8815", 1, 3, "12:30", {"id": "K-100922", "name": "Olivia Green", "email": "olivia.green@gmail.com"}, [
        ("Bot", 0, "Hi! I'm Eli, ElektroHaus' virtual assistant. How can I help?"),
        ("Olivia Green", 15, "can i pay with apple pay in the app?"),
        ("Bot", 18, "Yes, Apple Pay is available in the app and on the website. 🍏"),
        ("Olivia Green", 40, "great thx"),
    ]),
    ("c-8840", 2, 2, "20:45", {"id": "K-101050", "name": "Fatma Demir", "email": "fatma.demir@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Fatma Demir", 30, "Meine Bestellung steht seit gestern auf 'Zahlung wird geprüft', ist was falsch?"),
        ("Bot", 35, "Ich verbinde dich mit dem Kundenservice."),
        ("Tobias (Support)", 300, "Hallo Frau Demir, bei Zahlung per Vorkasse dauert das 1-2 Tage, Ihre Zahlung ist heute eingegangen, die Bestellung geht morgen raus."),
        ("Fatma Demir", 360, "Ah super, danke für die Info 😊"),
    ]),
    ("c-8866", 3, 0, "10:10", {"id": "K-101234", "name": "Lucas Martin", "email": "lucas.martin@outlook.com"}, [
        ("Bot", 0, "Hi! How can I help you today?"),
        ("Lucas Martin", 12, "The headphones I got only work on the left side"),
        ("Bot", 16, "I'm sorry to hear that. Do you want to start a return or talk to an agent?"),
        ("Lucas Martin", 30, "agent pls"),
        ("Chris (Support)", 240, "Hi Lucas, sorry about that! I've sent you a free return label, the replacement ships as soon as we scan the parcel."),
        ("Lucas Martin", 300, "ok cool, thanks for the quick help"),
    ]),
    ("c-8890", 4, 4, "17:20", {"id": "K-101502", "name": "Sven Ludwig", "email": "sven.ludwig@gmx.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Sven Ludwig", 25, "wie storniere ich eine bestellung"),
        ("Bot", 30, "Solange die Bestellung noch nicht versendet ist, kannst du sie unter 'Meine Bestellungen' > 'Stornieren' selbst stornieren."),
        ("Sven Ludwig", 90, "hat funktioniert"),
    ]),
    ("c-8912", 5, 2, "11:11", {"id": "K-101777", "name": "Amelie Roth", "email": "amelie.roth@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Amelie Roth", 20, "Mein Rabattcode wird nicht akzeptiert"),
        ("Bot", 22, "Rabattcodes kannst du im Warenkorb unter 'Gutschein einlösen' eingeben."),
        ("Amelie Roth", 50, "Ja genau das hab ich gemacht, da steht 'ungültig'. Du verstehst mich nicht 🙄"),
        ("Bot", 52, "Rabattcodes kannst du im Warenkorb unter 'Gutschein einlösen' eingeben."),
        ("Amelie Roth", 70, "MENSCH BITTE"),
        ("Sarah (Kundenservice)", 600, "Hallo Amelie, sorry für die Schleife! Der Code gilt erst ab 50 € Warenwert, Ihr Warenkorb hat 45 €."),
        ("Amelie Roth", 660, "ach so, das hätte man auch dazuschreiben können. ok danke"),
    ]),
    # the customer who later moves to social media (same customer id K-104233, see social_posts.jsonl)
    ("c-8977", 7, 0, "09:15", {"id": "K-104233", "name": "Jana Becker", "email": "jana.becker84@gmx.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Jana Becker", 15, "Meine Bestellung 40021502 sollte vor 5 Tagen kommen, Sendungsverfolgung zeigt nichts mehr an"),
        ("Bot", 20, "Die aktuelle Lieferzeit beträgt 2-4 Werktage. Kann ich sonst noch helfen?"),
        ("Jana Becker", 40, "Das hilft mir nicht. Ich will einen Menschen sprechen"),
        ("Bot", 45, "Alle Mitarbeiter sind gerade im Gespräch. Die Wartezeit beträgt ca. 45 Minuten."),
        ("Jana Becker", 2900, "45 Minuten gewartet, dann wurde der Chat einfach beendet. Wirklich??? 😡"),
        ("Bot", 2905, "Danke für deine Nachricht! Wie zufrieden warst du mit dem Chat? ⭐⭐⭐⭐⭐"),
    ]),
    ("c-8990", 7, 3, "14:40", {"id": "K-104301", "name": "Noah Fischer", "email": "noah.fischer@gmail.com"}, [
        ("Bot", 0, "Hi! How can I help you today?"),
        ("Noah Fischer", 15, "My fridge delivery got cancelled by the carrier without telling me. Third time I took a day off for nothing"),
        ("Bot", 18, "I'm sorry. Let me connect you with an agent."),
        ("Chris (Support)", 1500, "Hi Noah, I'm very sorry for the wait and the cancelled delivery. I've booked a new slot for Saturday 8-12 and refunded the shipping."),
        ("Noah Fischer", 1560, "25 minutes wait to get this. Saturday better work or I'm cancelling the whole order"),
    ]),
    ("c-9012", 8, 1, "16:05", {"id": "K-104480", "name": "Elif Aksoy", "email": "elif.aksoy@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Elif Aksoy", 10, "Ich warte seit 2 Wochen auf meine Erstattung für die Rücksendung 😤"),
        ("Bot", 14, "Erstattungen dauern nach Eingang der Ware 3-5 Werktage."),
        ("Elif Aksoy", 30, "Die Ware ist seit 10 Tagen bei euch!! Agent bitte"),
        ("Tobias (Support)", 2100, "Hallo Frau Aksoy, Entschuldigung für die lange Wartezeit, wir sind gerade stark überlastet. Die Erstattung ist jetzt angewiesen."),
        ("Elif Aksoy", 2160, "35 Minuten Warteschleife im Chat. Unglaublich."),
        # BROKEN 7: an empty message (the widget sent a 'typing' event as a message)
        ("Elif Aksoy", 2170, None),
    ]),
    ("c-9030", 8, 4, "10:30", {"id": "K-104599", "name": "Ben Scott", "email": "ben.scott@outlook.com"}, [
        ("Bot", 0, "Hi! How can I help you today?"),
        ("Ben Scott", 20, "just wanted to say the new self-service returns page is brilliant, took 1 min 👍"),
        ("Bot", 24, "Thank you, I'll pass that on to the team! 😊"),
    ]),
]

CHATS += [
    ("c-8825", 1, 4, "08:40", {"id": "K-100950", "name": "Greta Hansen", "email": "greta.hansen@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Greta Hansen", 25, "Wann kommt meine Bestellung 40017001? Sollte heute kommen"),
        ("Bot", 28, "Deine Bestellung ist heute in Zustellung und kommt voraussichtlich zwischen 10 und 14 Uhr. 📦"),
        ("Greta Hansen", 50, "super danke"),
    ]),
    ("c-8850", 2, 5, "14:14", {"id": "K-101101", "name": "Ahmed Hassan", "email": "ahmed.hassan@gmail.com"}, [
        ("Bot", 0, "Hi! How can I help you today?"),
        ("Ahmed Hassan", 20, "whats the difference between the R5 and R7 robot vacuum? worth the extra 150?"),
        ("Bot", 25, "Let me connect you with a product expert."),
        ("Chris (Support)", 200, "Hi Ahmed! The R7 also mops and maps several floors. If you have only one floor and no hard floors, the R5 is enough."),
        ("Ahmed Hassan", 260, "one floor, mostly carpet. R5 it is, thanks!"),
    ]),
    ("c-8871", 3, 4, "19:50", {"id": "K-101300", "name": "Paula Wolff", "email": "paula.wolff@gmx.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Paula Wolff", 15, "Ich komm nicht mehr in mein Kundenkonto, Passwort wird nicht akzeptiert"),
        ("Bot", 18, "Du kannst dein Passwort unter 'Passwort vergessen' zurücksetzen. Der Link kommt per E-Mail."),
        ("Paula Wolff", 200, "Link kam, geht wieder. Danke 🙂"),
    ]),
    ("c-8930", 6, 1, "12:20", {"id": "K-102010", "name": "Jonas Weber", "email": "jonas.weber@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Jonas Weber", 12, "Meine Lieferung ist einen Tag später als angekündigt, kommt sie morgen?"),
        ("Bot", 15, "Ich verbinde dich mit dem Kundenservice."),
        ("Sarah (Kundenservice)", 500, "Hallo Jonas, ja, das Paket ist morgen in Zustellung. Sorry für die Verzögerung!"),
        ("Jonas Weber", 540, "ok, kein Ding"),
    ]),
    ("c-8985", 7, 2, "18:18", {"id": "K-104350", "name": "Kim Nowak", "email": "kim.nowak@gmx.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Kim Nowak", 10, "Lieferung überfällig seit 4 Tagen, Bestellung 40021655"),
        ("Bot", 14, "Die aktuelle Lieferzeit beträgt 2-4 Werktage. Kann ich sonst noch helfen?"),
        ("Kim Nowak", 30, "Das ist genau das Problem, es sind 8 Werktage! Mitarbeiter bitte"),
        ("Bot", 33, "Alle Mitarbeiter sind gerade im Gespräch. Die Wartezeit beträgt ca. 40 Minuten."),
        ("Kim Nowak", 60, "vergesst es 😒"),
    ]),
    ("c-9001", 8, 0, "09:02", {"id": "K-104410", "name": "Emma Davis", "email": "emma.davis@gmail.com"}, [
        ("Bot", 0, "Hi! How can I help you today?"),
        ("Emma Davis", 10, "My parcel shows 'delivery failed' but I was home all day!!"),
        ("Bot", 13, "I'm sorry. Let me connect you with an agent."),
        ("Chris (Support)", 2400, "Hi Emma, sorry for the long wait today. The driver marked it wrongly, it will be delivered tomorrow."),
        ("Emma Davis", 2460, "40 minutes in a queue for that. Not impressed 😤"),
    ]),
    ("c-9020", 8, 2, "13:45", {"id": "K-104520", "name": "Luca Bianchi", "email": "luca.bianchi@web.de"}, [
        ("Bot", 0, "Hallo! Wie kann ich helfen?"),
        ("Luca Bianchi", 20, "Kann ich bei euch per Klarna Ratenkauf zahlen?"),
        ("Bot", 23, "Ja, ab 100 € Warenwert kannst du im Checkout Klarna Ratenkauf wählen."),
        ("Luca Bianchi", 40, "perfekt 👌"),
    ]),
]


def build_chat_json() -> None:
    convs = []
    for cid, week, day, hhmm, customer, msgs in CHATS:
        start = at(week, day, hhmm)
        out = []
        for i, (speaker, secs, text) in enumerate(msgs, start=1):
            m = {"id": i, "timestamp": (start + timedelta(seconds=secs)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "sender": {"name": speaker, "role": "bot"} if speaker == "Bot" else speaker}
            if text is not None:
                m["text"] = text
            out.append(m)
        convs.append({"id": cid, "channel": "chat", "started_via": "app" if week % 2 else "website",
                      "customer": customer, "messages": out})
    (HERE / "chats_widget.json").write_text(json.dumps({"conversations": convs}, ensure_ascii=False, indent=1),
                                            encoding="utf-8")


# --------------------------------------------------------------------------- F. Chat transcript lines (German)
TRANSCRIPTS = [
    ("4711", 1, 2, "15:00", [
        ("Kunde", 0, "Hallo, ich hab eine Frage zum Versand"),
        ("Agent", 1, "Hallo! Gerne, worum geht es?"),
        ("Kunde", 2, "Liefert ihr auch samstags? Bin unter der Woche nie zuhause"),
        ("Agent", 3, "Ja, bei Lieferung mit DHL auch samstags. Sie können außerdem eine Packstation oder einen Wunschnachbarn angeben."),
        ("Kunde", 4, "Perfekt, danke 👍"),
    ]),
    ("4790", 3, 1, "09:20", [
        ("Kundin", 0, "Guten Morgen, mein Bügeleisen tropft total, ist 2 Monate alt."),
        ("Agent", 2, "Guten Morgen! Das klingt nach einem Defekt. Haben Sie die Bestellnummer?"),
        ("Kundin", 3, "40019007"),
        ("Agent", 5, "Danke. Ich habe eine Reparatur beauftragt, der Kurier holt das Gerät am Donnerstag ab.\nBitte legen Sie eine kurze Fehlerbeschreibung bei."),
        ("Kundin", 6, "Okay, mach ich. Danke!"),
    ]),
    ("4852", 5, 3, "13:45", [
        ("Kunde", 0, "Servus, ich finde meine Rechnung nicht im Kundenkonto"),
        ("Agent", 2, "Hallo! Unter 'Meine Bestellungen' > Bestellung anklicken > 'Rechnung herunterladen'."),
        ("Kunde", 4, "ah da isses. merci"),
    ]),
    ("4933", 7, 2, "11:05", [
        ("Kunde", 0, "Ich versuche seit 3 Tagen jemanden zu erreichen. Hotline 45 min Warteschleife, Mails werden nicht beantwortet."),
        ("Agent", 38, "Entschuldigen Sie bitte die Wartezeit, wir haben aktuell sehr hohes Anfrageaufkommen. Wie kann ich helfen?"),
        ("Kunde", 39, "Mein Paket ist seit einer Woche 'in Zustellung'. Bestellung 40021777."),
        ("Agent", 42, "Ich sehe, dass das Paket beim Zusteller hängt. Ich starte einen Nachforschungsauftrag."),
        ("Kunde", 43, "Das heißt nochmal eine Woche warten oder was? Echt enttäuschend :("),
        ("Agent", 44, "Falls es bis Freitag nicht da ist, schicken wir sofort Ersatz."),
    ]),
    ("5010", 8, 0, "18:30", [
        ("Kundin", 0, "Hallo?? Ich warte hier seit 20 Minuten"),
        ("Agent", 21, "Entschuldigung, jetzt bin ich da. Worum geht es?"),
        ("Kundin", 22, "Lieferung ist zum zweiten Mal verschoben worden, jetzt auf nächsten Mittwoch. Ich brauch den Herd!!"),
        ("Agent", 25, "Das tut mir leid. Ich kann Ihnen leider keinen früheren Termin anbieten, die Spedition ist ausgebucht."),
        ("Kundin", 26, "Dann storniere ich. Ganz schwach."),
    ]),
    ("5044", 8, 3, "08:50", [
        ("Kunde", 0, "Kurze Frage: gibt es den Laptopständer auch in schwarz?"),
        ("Agent", 1, "Ja, ab nächster Woche wieder lieferbar."),
        ("Kunde", 2, "Top, danke!"),
    ]),
]

TRANSCRIPTS += [
    ("4820", 4, 0, "10:00", [
        ("Kunde", 0, "Moin, die Lieferung kam heute, aber die Fernbedienung fehlt im Karton"),
        ("Agent", 3, "Moin! Das tut mir leid, ich schicke Ihnen die Fernbedienung kostenlos nach."),
        ("Kunde", 4, "Top, danke 😀"),
    ]),
    ("4888", 6, 2, "16:30", [
        ("Kundin", 0, "Hallo, ich möchte meine Bestellung stornieren, habe mich verklickt"),
        ("Agent", 2, "Hallo! Die Bestellung 40020901 ist storniert, das Geld kommt in 3-5 Tagen zurück."),
        ("Kundin", 3, "Danke für die schnelle Hilfe!"),
    ]),
    ("4950", 7, 4, "10:40", [
        ("Kunde", 0, "Ich warte seit 25 Minuten. Wo bleibt meine Erstattung? Retoure ist seit 12 Tagen bei euch."),
        ("Agent", 27, "Entschuldigung für die Wartezeit. Die Erstattung ist leider noch nicht erfolgt, ich gebe sie jetzt frei."),
        ("Kunde", 28, "Warum muss man dafür erst 3x nachfragen? Schlechter Service."),
    ]),
    ("5030", 8, 2, "12:10", [
        ("Kundin", 0, "Die Lieferung ist heute nicht gekommen obwohl Termin bestätigt war. Ich hab mir freigenommen!!"),
        ("Agent", 30, "Entschuldigen Sie bitte die Wartezeit. Die Spedition hat den Termin leider kurzfristig abgesagt."),
        ("Kundin", 31, "Und warum sagt mir das keiner? 😡"),
        ("Agent", 33, "Sie haben völlig recht, das hätte nicht passieren dürfen. Neuer Termin ist Samstag, die Versandkosten erstatten wir."),
    ]),
]


def build_chat_text() -> None:
    lines = ["Chat-Export ElektroHaus Livechat, erstellt 26.10.2026 (Kanal: Website)"]  # BROKEN 8: stray header
    for cid, week, day, hhmm, msgs in TRANSCRIPTS:
        lines.append("")
        lines.append(f"--- Chat {cid} ---")
        start = at(week, day, hhmm)
        for speaker, minutes, text in msgs:
            stamp = (start + timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M")
            first, *rest = text.split("\n")
            lines.append(f"[{stamp}] {speaker}: {first}")
            lines.extend(rest)
    # BROKEN 9: a time that does not exist
    lines.append("[2026-10-32 09:00] Kunde: Hallo, ist noch jemand da?")
    (HERE / "chat_transcripts_de.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- G/H. WhatsApp exports
def build_whatsapp() -> None:
    de = """06.10.26, 18:02 - Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen oder anhören.
06.10.26, 18:02 - Jonas Keller: Hallo, ich hab bei euch einen Staubsaugerroboter bestellt (40020555)
06.10.26, 18:03 - Jonas Keller: Der fährt sich ständig unter dem Sofa fest und piept dann die ganze Nacht 😅
06.10.26, 18:15 - ElektroHaus Service: Hallo Jonas, danke für deine Nachricht! In der App kannst du unter Karte > Sperrzonen das Sofa als No-Go-Zone einzeichnen.
06.10.26, 18:16 - ElektroHaus Service: Alternativ gibt es Magnetband als Begrenzung, das liegt im Zubehörbeutel.
06.10.26, 18:40 - Jonas Keller: oh das hab ich gar nicht gesehen 🙈
probier ich heute abend aus
06.10.26, 21:55 - Jonas Keller: Klappt! Danke euch 👍👍
13.10.26, 09:12 - Jonas Keller: Hi nochmal, jetzt ist die Ladestation kaputt, LED bleibt aus.
Steckdose geht, hab ich getestet.
Foto anbei
13.10.26, 09:12 - Jonas Keller: <Medien ausgeschlossen>
13.10.26, 11:48 - Jonas Keller: Hallo??
14.10.26, 08:30 - Jonas Keller: Seit gestern keine Antwort, echt jetzt? Bei WhatsApp seht ihr doch dass ich geschrieben hab
14.10.26, 16:02 - ElektroHaus Service: Hallo Jonas, sorry für die späte Antwort, wir haben gerade extrem viele Anfragen. Eine neue Ladestation ist unterwegs, Sendungsnummer JJD0001234567.
14.10.26, 16:10 - Jonas Keller: ok danke. aber 30 stunden für ne antwort ist schon heftig
20.10.26, 12:00 - Jonas Keller: Ladestation ist immer noch nicht da. Sendung hängt seit 5 Tagen im Paketzentrum 😤
20.10.26, 19:45 - ElektroHaus Service: Wir haben beim Versanddienstleister nachgefragt, leider gibt es dort aktuell Verzögerungen. Wir melden uns, sobald wir mehr wissen.
"""
    (HERE / "whatsapp_de.txt").write_text(de, encoding="utf-8")
    en = """[9/9/26, 7:45:12 PM] ElektroHaus Support: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
[9/9/26, 7:45:12 PM] Sam Taylor: hey! quick q before I buy - does the Barista X2 come with a milk frother?
[9/9/26, 7:52:40 PM] ElektroHaus Support: Hi Sam! Yes, it has a built-in frother and a 0.5 l milk container 🥛
[9/9/26, 7:53:05 PM] Sam Taylor: nice, and is there a student discount?
[9/9/26, 7:58:31 PM] ElektroHaus Support: Not at the moment, but newsletter subscribers get 10% off their first order.
[9/9/26, 8:01:02 PM] Sam Taylor: signed up, got the code 🙌
[10/15/26, 10:20:44 AM] Sam Taylor: Hi again, the machine stopped heating the milk after 4 weeks.
I descaled it like the manual says
still cold milk :(
[10/16/26, 3:12:09 PM] Sam Taylor: anyone there? it's been over a day
[10/16/26, 5:30:55 PM] ElektroHaus Support: Sorry Sam, we're swamped at the moment. I've booked a courier pickup for Monday, you'll get a replacement.
[10/16/26, 5:31:40 PM] Sam Taylor: ok thanks, but the wait wasn't great
"""
    (HERE / "whatsapp_en.txt").write_text(en, encoding="utf-8")


# --------------------------------------------------------------------------- I. TWCS-style tweets
BRAND = "ElektroHausHilfe"
# threads: (week, day, hhmm, [(author, minutes, text)]) ; author == BRAND -> outbound
TWEETS = [
    (1, 2, "12:00", [("118201", 0, "@ElektroHausHilfe do you have the AirCrisp 5L back in stock anytime soon?"),
                     (BRAND, 40, "@118201 Hi! It's back on Friday, you can set an alert on the product page 🔔 ^CM")]),
    (1, 5, "09:30", [("118202", 0, "@ElektroHausHilfe Bestellung gestern Abend, heute schon da. Respekt 👏"),
                     (BRAND, 60, "@118202 Danke dir, freut uns sehr! 😊 ^LB")]),
    (2, 1, "21:10", [("118203", 0, "@ElektroHausHilfe why does your checkout keep logging me out when I enter my card details?? 3rd try"),
                     (BRAND, 25, "@118203 Sorry about that! Could you DM us your browser and the time you tried? ^CM"),
                     ("118203", 30, "@ElektroHausHilfe chrome, just now. sent a DM"),
                     (BRAND, 90, "@118203 Thanks, our team fixed a session bug, it should work now. ^CM"),
                     ("118203", 120, "@ElektroHausHilfe yep works now, thanks")]),
    (3, 3, "14:00", [("118204", 0, "@ElektroHausHilfe euer Newsletter kommt jetzt 2x am Tag? Bisschen viel 🙄"),
                     (BRAND, 180, "@118204 Oh, das war ein Fehler beim Versand, sorry! Ist behoben. ^TR")]),
    (4, 2, "08:15", [("118205", 0, "@ElektroHausHilfe the new app is so much better, tracking actually works now 🙌")]),
    (5, 4, "17:45", [("118206", 0, "@ElektroHausHilfe Rücksendung vor 3 Wochen, immer noch kein Geld. Was ist da los?"),
                     (BRAND, 300, "@118206 Hallo! Schick uns bitte deine Bestellnummer per DM, wir schauen nach. ^LB"),
                     ("118206", 320, "@ElektroHausHilfe DM ist raus")]),
    (6, 1, "10:10", [("118207", 0, "@ElektroHausHilfe ordered a kettle, arrived with a cracked lid. packaging was just a thin bag 😒"),
                     (BRAND, 120, "@118207 That shouldn't happen, sorry! DM us a photo and we'll send a new one right away. ^CM")]),
    (7, 0, "07:55", [("118208", 0, "@ElektroHausHilfe 11 days and still no parcel. your chat bot just loops. your phone line is a 50 min queue. what is going on?? 😡"),
                     (BRAND, 600, "@118208 We're really sorry, we have big carrier delays right now. Please DM us your order number. ^CM"),
                     ("118208", 620, "@ElektroHausHilfe 10 hours to reply to a tweet. great."),
                     ("118208", 2000, "@ElektroHausHilfe still nothing. cancel it.")]),
    (7, 2, "13:25", [("118209", 0, "@ElektroHausHilfe Seit 9 Tagen wartet meine Mutter auf ihre Waschmaschine. Hotline nicht erreichbar. Peinlich. #ElektroHaus"),
                     (BRAND, 400, "@118209 Das tut uns sehr leid! Bitte schick uns die Bestellnummer per DM, wir klären das heute noch. ^TR")]),
    (8, 0, "19:00", [("118210", 0, "@ElektroHausHilfe Lieferung zum 3. Mal verschoben. Kundenservice antwortet nicht. Nie wieder ElektroHaus 🤬"),
                     (BRAND, 900, "@118210 Hallo, das ist wirklich ärgerlich, entschuldige bitte. Magst du uns per DM schreiben? ^LB"),
                     ("118210", 960, "@ElektroHausHilfe hab ich schon 2x. keine antwort.")]),
    (8, 3, "11:30", [("118211", 0, "@ElektroHausHilfe where is my refund? returned the tv 3 weeks ago and customer service just ignores my emails"),
                     (BRAND, 700, "@118211 Sorry for the wait! Please DM us your order number so we can check. ^CM")]),
    (8, 5, "16:00", [("118212", 0, "@ElektroHausHilfe gotta say the vacuum is amazing though, best purchase this year 😍")]),
]

TWEETS += [
    (2, 4, "18:00", [("118213", 0, "@ElektroHausHilfe Kann man bei euch auch per Rechnung zahlen?"),
                     (BRAND, 45, "@118213 Hallo! Ja, Kauf auf Rechnung ist ab der zweiten Bestellung möglich. ^LB"),
                     ("118213", 50, "@ElektroHausHilfe danke 👍")]),
    (4, 5, "12:30", [("118214", 0, "@ElektroHausHilfe parcel arrived a day late but the driver was super friendly, all good 🙂")]),
    (6, 3, "09:00", [("118215", 0, "@ElektroHausHilfe Login in der App geht seit dem Update nicht mehr 😩"),
                     (BRAND, 90, "@118215 Hallo! Bitte einmal die App neu installieren, das behebt es. ^TR"),
                     ("118215", 120, "@ElektroHausHilfe läuft wieder, danke!")]),
    (7, 4, "20:20", [("118216", 0, "@ElektroHausHilfe 2 hours on hold today. TWO HOURS. and the chat bot keeps telling me delivery takes 2-4 days. it's been 12 🤡"),
                     (BRAND, 800, "@118216 We're very sorry for the wait. Please DM us your order number and we'll prioritise it. ^CM")]),
    (8, 1, "08:45", [("118217", 0, "@ElektroHausHilfe ihr habt mein Paket verloren und jetzt antwortet keiner mehr. Danke für nichts 👎"),
                     (BRAND, 500, "@118217 Das tut uns leid! Wir melden uns per DM mit einer Lösung. ^LB"),
                     ("118217", 1500, "@ElektroHausHilfe immer noch keine DM.")]),
    (8, 4, "14:00", [("118218", 0, "@ElektroHausHilfe the fridge was delivered 3 days late and the driver left it at the curb. in the rain. 😡"),
                     (BRAND, 600, "@118218 That's not ok at all, sorry! DM us and we'll sort out compensation. ^CM")]),
]


def build_twcs() -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"])
    tid = 1_560_000
    rows = []
    for week, day, hhmm, thread in TWEETS:
        start = at(week, day, hhmm)
        ids = []
        for author, minutes, text in thread:
            tid += 7
            ids.append(tid)
            rows.append([tid, author, author != BRAND,
                         (start + timedelta(minutes=minutes)).strftime("%a %b %d %H:%M:%S +0000 %Y"), text])
        for k in range(len(thread)):
            r = rows[len(rows) - len(thread) + k]
            r.append(str(ids[k + 1]) if k + 1 < len(ids) else "")
            r.append(f"{ids[k - 1]}.0" if k > 0 else "")  # TWCS exports write parent ids as floats
    w.writerows(rows)
    # BROKEN 10: inbound is neither True nor False
    w.writerow([1_569_999, "118299", "maybe", "Mon Oct 19 10:00:00 +0000 2026", "@ElektroHausHilfe test", "", ""])
    # BROKEN 11: empty text
    w.writerow([1_569_998, "118298", "True", "Mon Oct 19 10:05:00 +0000 2026", "", "", ""])
    (HERE / "social_twcs.csv").write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- J. Social posts and reviews (JSONL)
POSTS = [
    # (post_id, reply_to, week, day, hhmm, platform, author_id, handle, is_brand, type, rating, text)
    ("fb-1001", None, 1, 6, "20:00", "facebook", "fb-u-3321", "Petra Lorenz", False, "post", None,
     "Hab mir den Kaffeevollautomaten gegönnt und bin begeistert ☕😍 Lieferung war auch super schnell!"),
    ("fb-1002", "fb-1001", 2, 0, "09:00", "facebook", "elektrohaus", "ElektroHaus", True, "comment", None,
     "Das freut uns, Petra! Viel Genuss mit dem ersten Cappuccino ☕"),
    ("tp-2001", None, 2, 3, "18:30", "trustpilot", "tp-u-5512", "Michael S.", False, "review", 5,
     "Schnelle Lieferung, guter Preis, Rücksendung problemlos. Gerne wieder."),
    ("tp-2002", None, 3, 2, "11:15", "trustpilot", "tp-u-5590", "Karen D.", False, "review", 4,
     "Good prices and the website is easy to use. Delivery took a day longer than promised but ok."),
    ("as-3001", None, 3, 5, "22:40", "app store", "as-u-7701", "tomtom88", False, "review", 2,
     "App logt mich dauernd aus und Face ID funktioniert nicht. Bitte fixen!!"),
    ("gp-4001", None, 4, 1, "07:30", "google play", "gp-u-9902", "Anja K.", False, "review", 5,
     "Neues Update ist top, endlich kann man Retouren direkt in der App anmelden 👍"),
    ("ig-5001", None, 4, 4, "19:20", "instagram", "ig-u-1212", "@lisa.cooks", False, "post", None,
     "Unboxing my new stand mixer from @elektrohaus 😍 packaging was 100% plastic free, love it 🌱"),
    ("tp-2003", None, 5, 3, "10:05", "trustpilot", "tp-u-6003", "Dirk W.", False, "review", 3,
     "Produkt ok, aber die Rechnung musste ich dreimal anfordern. Buchhaltung bei euch ist chaotisch."),
    ("fb-1003", None, 6, 2, "13:40", "facebook", "fb-u-4410", "Tanja Meyer", False, "post", None,
     "Hat noch jemand Probleme mit dem Login im Shop? Passwort vergessen Mail kommt bei mir nie an 🤷‍♀️"),
    ("fb-1004", "fb-1003", 6, 2, "15:00", "facebook", "elektrohaus", "ElektroHaus", True, "comment", None,
     "Hallo Tanja, schau bitte auch im Spam-Ordner nach. Wenn da nichts ist, schreib uns eine PN, dann helfen wir direkt."),
    # Jana Becker continues her chat complaint (chats_widget.json c-8977) on Instagram: same customer id K-104233
    ("ig-5002", None, 7, 2, "10:30", "instagram", "K-104233", "@jana.bkr", False, "post", None,
     "@elektrohaus Seit einer Woche wartet ich auf mein Paket 40021502, euer Chat hat mich nach 45 Min Warteschleife "
     "einfach rausgeworfen. Kann mir hier mal jemand helfen?? 😡📦"),
    ("ig-5003", "ig-5002", 7, 2, "16:45", "instagram", "elektrohaus", "ElektroHaus", True, "comment", None,
     "Hallo Jana, das tut uns wirklich leid! Wir haben dir eine DM geschickt und kümmern uns persönlich darum 🙏"),
    ("ig-5004", "ig-5003", 7, 4, "09:10", "instagram", "K-104233", "@jana.bkr", False, "comment", None,
     "Paket ist immer noch nicht da. Die DM hat auch nix gebracht. Ganz ehrlich, nie wieder."),
    ("tp-2004", None, 7, 5, "21:00", "trustpilot", "tp-u-7100", "Frank H.", False, "review", 1,
     "Lieferung 2 Wochen zu spät, Hotline nicht erreichbar, E-Mails werden ignoriert. Finger weg!"),
    ("tp-2005", None, 8, 0, "08:20", "trustpilot", "tp-u-7155", "Rachel P.", False, "review", 1,
     "Terrible customer service. Waited 3 weeks for a refund, nobody replies. The product itself is fine."),
    ("gp-4002", None, 8, 2, "12:12", "google play", "gp-u-9950", "Marco", False, "review", 2,
     "Die App ist gut aber was bringt mir Sendungsverfolgung wenn das Paket seit 10 Tagen im Depot liegt 🙄"),
    ("fb-1005", None, 8, 3, "18:00", "facebook", "fb-u-5001", "Stefanie Graf", False, "post", None,
     "Ist euer Kundenservice eigentlich komplett abgeschafft worden? 4 Mails, 0 Antworten. 😤"),
    ("fb-1006", "fb-1005", 8, 4, "10:00", "facebook", "elektrohaus", "ElektroHaus", True, "comment", None,
     "Hallo Stefanie, es tut uns leid! Wir haben gerade sehr viele Anfragen und stocken das Team auf. Schick uns bitte deine Ticketnummer per PN."),
    ("as-3002", None, 8, 5, "20:30", "app store", "as-u-7788", "happyhome", False, "review", 5,
     "Love the app, ordering is quick and the deals are good 😊"),
]


def build_social_jsonl() -> None:
    lines = []
    for pid, reply, week, day, hhmm, platform, author, handle, brand, typ, rating, text in POSTS:
        obj = {"post_id": pid, "in_reply_to": reply, "platform": platform, "type": typ, "author_id": author,
               "handle": handle, "is_brand": brand, "created_at": at(week, day, hhmm).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "text": text}
        if rating is not None:
            obj["rating"] = rating
        lines.append(json.dumps(obj, ensure_ascii=False))
    # BROKEN 12: a line cut off in the middle (export interrupted)
    lines.insert(9, '{"post_id": "fb-1099", "in_reply_to": null, "platform": "facebook", "text": "Kann mir jemand sag')
    (HERE / "social_posts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- K/L. E-mail
SUPPORT = "ElektroHaus Kundenservice <support@elektrohaus.example>"


def _mail(frm: str, to: str, subject: str, when: datetime, text: str | None = None, html: str | None = None,
          msgid: str = "", reply_to: list[str] | None = None, attachment: tuple[str, bytes] | None = None
          ) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = frm, to, subject
    msg["Date"] = format_datetime(when.replace(tzinfo=__import__("datetime").timezone.utc))
    msg["Message-ID"] = msgid
    if reply_to:
        msg["In-Reply-To"] = reply_to[-1]
        msg["References"] = " ".join(reply_to)
    if text is not None:
        msg.set_content(text)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    if attachment:
        if text is None and html is None:
            msg.set_content("")  # replaced below: a mail with only the attachment
            msg.clear_content()
        msg.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    # fixed MIME boundaries so that a rebuild writes the same bytes
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"==elektrohaus-{msgid.strip('<>')}-{i}==")
    return msg


def build_mail() -> None:
    mails: list[EmailMessage] = []
    # thread 1 (de): defective kettle, Outlook quote + signature
    a1 = "<20260908.1001@gmx.de>"
    mails.append(_mail("Robert Lange <robert.lange@gmx.de>", SUPPORT, "Wasserkocher defekt", at(2, 1, "08:12"),
                       "Sehr geehrte Damen und Herren,\n\nmein Wasserkocher (Bestellung 40018555) schaltet sich nicht "
                       "mehr ab, wenn das Wasser kocht. Das ist doch gefährlich!\nIch bitte um Ersatz.\n\n"
                       "Mit freundlichen Grüßen\nRobert Lange\nHauptstraße 12\n10115 Berlin\nTel. +49 30 98765432",
                       msgid=a1))
    a2 = "<20260908.2002@elektrohaus.example>"
    mails.append(_mail(SUPPORT, "Robert Lange <robert.lange@gmx.de>", "AW: Wasserkocher defekt", at(2, 1, "13:40"),
                       "Sehr geehrter Herr Lange,\n\ndanke für Ihre Nachricht. Bitte nutzen Sie das Gerät nicht mehr. "
                       "Ein Ersatzgerät ist heute an Sie rausgegangen.\n\nFreundliche Grüße\nIhr ElektroHaus Kundenservice\n\n"
                       "-----Ursprüngliche Nachricht-----\nVon: Robert Lange <robert.lange@gmx.de>\nGesendet: Dienstag, "
                       "8. September 2026 08:12\nAn: support@elektrohaus.example\nBetreff: Wasserkocher defekt\n\n"
                       "Sehr geehrte Damen und Herren,\nmein Wasserkocher schaltet sich nicht mehr ab.",
                       msgid=a2, reply_to=[a1]))
    mails.append(_mail("Robert Lange <robert.lange@gmx.de>", SUPPORT, "Re: AW: Wasserkocher defekt",
                       at(2, 3, "18:05"),
                       "Ersatz ist angekommen und funktioniert. Danke für die schnelle Abwicklung!\n\n"
                       "Am 08.09.2026 um 13:40 schrieb ElektroHaus Kundenservice <support@elektrohaus.example>:\n"
                       "> Sehr geehrter Herr Lange,\n> danke für Ihre Nachricht.",
                       msgid="<20260910.1003@gmx.de>", reply_to=[a1, a2]))
    # thread 2 (en): HTML-only newsletter complaint
    b1 = "<CAF001.8812@mail.gmail.com>"
    mails.append(_mail("Aisha Khan <aisha.khan@gmail.com>", SUPPORT, "Newsletter discount not applied",
                       at(3, 4, "10:30"), html="<html><body><p>Hi,</p><p>the <b>15% newsletter discount</b> was not applied "
                       "at checkout, I paid full price (order 40019530).</p><p>Could you refund the difference?</p>"
                       "<p>Thanks,<br>Aisha</p><style>p{color:red}</style></body></html>", msgid=b1))
    mails.append(_mail(SUPPORT, "Aisha Khan <aisha.khan@gmail.com>", "Re: Newsletter discount not applied",
                       at(3, 4, "15:00"), "Hi Aisha,\n\nwe have refunded 22.35 EUR, the difference, to your card.\n\n"
                       "Best regards\nChris\nElektroHaus Customer Service\n\nOn Fri, Sep 18, 2026 at 10:30 AM Aisha Khan "
                       "<aisha.khan@gmail.com> wrote:\n> Hi, the 15% newsletter discount was not applied at checkout",
                       html="<p>Hi Aisha,</p><p>we have refunded 22.35 EUR, the difference, to your card.</p>",
                       msgid="<20260918.2211@elektrohaus.example>", reply_to=[b1]))
    # thread 3 (de): delivery delay escalating, week 7
    c1 = "<20261013.4411@web.de>"
    mails.append(_mail("Katrin Albrecht <katrin.albrecht@web.de>", SUPPORT, "Lieferung 40021610 überfällig",
                       at(7, 1, "07:20"), "Hallo,\n\nmeine Bestellung 40021610 (Geschirrspüler) ist seit 6 Tagen "
                       "überfällig. Die Hotline ist dauerbesetzt. Bitte um Rückmeldung!\n\nLG Katrin Albrecht",
                       msgid=c1))
    c2 = "<20261016.1200@web.de>"
    mails.append(_mail("Katrin Albrecht <katrin.albrecht@web.de>", SUPPORT, "WG: Lieferung 40021610 überfällig",
                       at(7, 4, "12:00"), "Drei Tage keine Antwort. Ich erwarte jetzt bis morgen einen Liefertermin, "
                       "sonst trete ich vom Kauf zurück. 😠\n\nKatrin Albrecht\n\n"
                       "-----Ursprüngliche Nachricht-----\nVon: Katrin Albrecht\nGesendet: Dienstag, 13. Oktober 2026 07:20\n"
                       "An: support@elektrohaus.example\nBetreff: Lieferung 40021610 überfällig\n\nHallo, meine Bestellung ist überfällig.",
                       msgid=c2, reply_to=[c1]))
    mails.append(_mail(SUPPORT, "Katrin Albrecht <katrin.albrecht@web.de>", "AW: WG: Lieferung 40021610 überfällig",
                       at(8, 0, "09:15"), "Hallo Frau Albrecht,\n\nbitte entschuldigen Sie die späte Antwort. Der "
                       "Geschirrspüler wird am Donnerstag geliefert.\n\nMit freundlichen Grüßen\nLisa Brandt\nElektroHaus",
                       msgid="<20261019.0915@elektrohaus.example>", reply_to=[c1, c2]))
    # thread 4 (en): cancellation, no reply for days, week 8
    mails.append(_mail("Tom Baker <tom.baker@outlook.com>", SUPPORT, "Cancel order 40022150",
                       at(8, 1, "11:00"), "Hello,\n\nplease cancel order 40022150. Delivery date moved twice and I "
                       "can't reach anyone by phone.\n\n-- \nTom Baker\n+44 20 7946 0958", msgid="<7788.tom@outlook.com>"))
    # BROKEN 13: a mail with only a PDF attachment and no text part
    mails.append(_mail("Buchhaltung Meier GmbH <rechnung@meier-gmbh.de>", SUPPORT, "Rechnung 2026-0931",
                       at(8, 2, "08:00"), msgid="<rg.2026.0931@meier-gmbh.de>",
                       attachment=("Rechnung_2026-0931.pdf", b"%PDF-1.4 fake")))
    mbox = []
    for m in mails:
        raw = m.as_bytes()
        raw = raw.replace(b"\nFrom ", b"\n>From ")
        mbox.append(b"From support@elektrohaus.example " + m["Date"].encode() + b"\n" + raw + b"\n")
    (HERE / "emails_support.mbox").write_bytes(b"\n".join(mbox))

    # single .eml files
    e1 = _mail("Greta Schulz <greta.schulz@t-online.de>", SUPPORT, "Lob für Ihren Mitarbeiter", at(4, 3, "17:30"),
               "Hallo liebes ElektroHaus-Team,\n\nich möchte mich bei Herrn Kaya bedanken, der mir am Telefon sehr "
               "geduldig beim Einrichten des Smart-TVs geholfen hat. So stelle ich mir Service vor! 😊\n\n"
               "Viele Grüße\nGreta Schulz", msgid="<greta.0924@t-online.de>")
    e2 = _mail("Liam O'Connor <liam.oconnor@gmail.com>", SUPPORT, "Order never arrived", at(7, 3, "22:10"),
               html="<div>Hi,</div><div>my order <b>40021700</b> was marked as delivered on Monday but nothing "
                    "arrived. I've emailed twice and called, nobody helps. Really disappointed.</div>"
                    "<div><br></div><div>Liam</div><blockquote>Your order has been delivered.</blockquote>",
               msgid="<liam.1015@gmail.com>")
    e3 = _mail("Sandra Vogt <sandra.vogt@gmx.de>", SUPPORT, "Retoure Fön", at(5, 1, "09:00"),
               "Hallo,\nich habe den Fön zurückgeschickt, wann bekomme ich mein Geld?\n\nGruß\nSandra",
               html="<p>Hallo,<br>ich habe den Fön zurückgeschickt, wann bekomme ich mein Geld?</p><p>Gruß<br>Sandra</p>",
               msgid="<sandra.0929@gmx.de>")
    e4 = _mail(SUPPORT, "Sandra Vogt <sandra.vogt@gmx.de>", "AW: Retoure Fön", at(5, 2, "10:30"),
               "Hallo Frau Vogt,\n\ndie Erstattung über 34,99 € wurde heute veranlasst.\n\nViele Grüße\nTobias Roth\n"
               "ElektroHaus Kundenservice\n\nAm 29.09.2026 um 09:00 schrieb Sandra Vogt <sandra.vogt@gmx.de>:\n"
               "> Hallo,\n> ich habe den Fön zurückgeschickt, wann bekomme ich mein Geld?",
               msgid="<20260930.1030@elektrohaus.example>", reply_to=["<sandra.0929@gmx.de>"])
    for name, m in (("email_lob_mitarbeiter.eml", e1), ("email_order_never_arrived.eml", e2),
                    ("email_retoure_foen.eml", e3), ("email_retoure_foen_antwort.eml", e4)):
        (HERE / name).write_bytes(m.as_bytes())


# --------------------------------------------------------------------------- M/N/O. Generic TSV, JSON, JSONL
SURVEY = [
    # (response id, week, day, hhmm, score, comment, lang)
    ("NPS-501", 1, 2, "18:00", 9, "Schnelle Lieferung, gute Beratung im Chat. Gerne wieder!"),
    ("NPS-502", 2, 1, "12:30", 10, "Best online shop for kitchen stuff, prices are fair and delivery is quick 👍"),
    ("NPS-503", 3, 0, "09:15", 6, "Ganz ok, aber der Checkout mit Gutschein ist umständlich."),
    ("NPS-504", 4, 3, "20:40", 8, "Retoure war easy, Geld nach 4 Tagen zurück."),
    ("NPS-505", 5, 2, "07:55", 7, "App is nice, but login on my tablet keeps failing"),
    ("NPS-506", 6, 4, "16:10", 9, "Mitarbeiter am Telefon war super freundlich :)"),
    ("NPS-507", 7, 1, "11:11", 2, "Lieferung 10 Tage zu spät und niemand erreichbar. Schade, war früher besser."),
    ("NPS-508", 7, 3, "19:30", 1, "Waited 50 minutes on the hotline, then got disconnected. Never again."),
    ("NPS-509", 8, 0, "08:45", 3, "Paket beschädigt, Ersatz dauert ewig, Support antwortet nicht 😞"),
    ("NPS-510", 8, 2, "21:05", 0, "Delivery postponed three times. Customer service is a joke."),
    ("NPS-511", 8, 4, "13:20", 8, "Produkt top, Lieferung leider etwas spät."),
]


def build_survey_tsv() -> None:
    rows = ["response_id\tsubmitted\tnps_score\tcomment\tchannel\tlanguage"]
    for rid, week, day, hhmm, score, comment in SURVEY:
        rows.append("\t".join([rid, at(week, day, hhmm).strftime("%Y-%m-%d %H:%M"), str(score), comment, "survey", ""]))
    rows.append("NPS-512\t2026-10-24 10:00\t7")  # BROKEN 14: the survey tool cut the row short
    (HERE / "survey_nps.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


REVIEWS = [
    # (review id, week, day, hhmm, product, stars, title, text)
    ("R-7001", 1, 3, "21:00", "Barista X2", 5, "Traumhaft", "Macht den besten Cappuccino, den ich je zuhause hatte ☕😍"),
    ("R-7002", 2, 6, "10:20", "AirCrisp 5L", 4, "Good fryer", "Crispy fries in 15 min. Basket is a bit hard to clean though."),
    ("R-7003", 3, 2, "15:45", "VX-7 Akku-Staubsauger", 2, "Akku schwach", "Akku hält nur 15 Minuten statt der versprochenen 40. Enttäuschend."),
    ("R-7004", 4, 5, "19:00", "Smartwatch S3", 5, "Love it", "Battery lasts 5 days, sleep tracking is spot on 💪"),
    ("R-7005", 5, 0, "08:30", "Wasserkocher Classic", 1, "Undicht", "Nach 2 Wochen undicht. Ersatz kam zum Glück schnell."),
    ("R-7006", 6, 3, "17:50", "Saugroboter R5", 4, "Praktisch", "Saugt gut, verheddert sich aber manchmal in Kabeln 🙈"),
    ("R-7007", 7, 5, "12:00", "Kühlschrank KG-400", 2, "Gerät gut, Lieferung katastrophal",
     "Der Kühlschrank selbst ist super, aber 3 verschobene Liefertermine und keine Infos vom Service. 2 Sterne nur wegen der Lieferung."),
    ("R-7008", 8, 1, "20:15", "Headphones BT-200", 3, "ok", "Sound ok, arrived a week late, took forever to get a reply from support."),
    ("R-7009", 8, 5, "09:40", "Mixer Pro", 5, "Super", "Top Mixer, schnell geliefert 😊"),
]


def build_reviews_json() -> None:
    items = [{"review_id": rid, "date": at(week, day, hhmm).strftime("%d.%m.%Y %H:%M"), "product": product,
              "stars": stars, "title": title, "review": text, "verified_purchase": True, "channel": "review"}
             for rid, week, day, hhmm, product, stars, title, text in REVIEWS]
    items.insert(4, ["R-7099", "broken export row"])  # BROKEN 15: an array instead of an object
    (HERE / "reviews_shop.json").write_text(json.dumps({"reviews": items}, ensure_ascii=False, indent=1),
                                            encoding="utf-8")


APP_FEEDBACK = [
    # (id, week, day, hhmm, user, app version, os, text)
    ("fb-9001", 1, 0, "22:10", "u-55120", "4.1.8", "Android", "Dark mode please 🙏 the white screen at night burns my eyes"),
    ("fb-9002", 2, 3, "07:40", "u-55301", "4.1.8", "iOS", "Suche findet 'Wasserkocher' nicht wenn man 'wasserkocher' klein schreibt??"),
    ("fb-9003", 3, 6, "13:00", "u-55478", "4.2.0", "iOS", "App crashes when I tap 'Buy now' 😡 iPhone 12"),
    ("fb-9004", 4, 2, "18:25", "u-55502", "4.2.1", "iOS", "Update hat den Absturz behoben, danke!"),
    ("fb-9005", 5, 5, "11:45", "u-55790", "4.2.1", "Android", "Push-Benachrichtigung zur Lieferung kam 2x, sonst top"),
    ("fb-9006", 6, 1, "09:05", "u-56011", "4.2.1", "Android", "Love the new returns flow, super easy"),
    ("fb-9007", 7, 2, "20:00", "u-56230", "4.2.2", "iOS", "Sendungsverfolgung zeigt seit 6 Tagen denselben Status. Bringt mir nix."),
    ("fb-9008", 8, 0, "12:35", "u-56400", "4.2.2", "Android", "In-app chat says 'all agents busy' every single time. useless"),
    ("fb-9009", 8, 3, "17:15", "u-56555", "4.2.2", "iOS", "Lieferdatum wurde in der App einfach geändert, ohne Nachricht. Nicht ok."),
]


def build_app_feedback_jsonl() -> None:
    lines = [json.dumps({"id": fid, "created_at": at(week, day, hhmm).strftime("%Y-%m-%dT%H:%M:%SZ"), "user_id": user,
                         "app_version": version, "os": os_, "message": text, "channel": "web_form"},
                        ensure_ascii=False)
             for fid, week, day, hhmm, user, version, os_, text in APP_FEEDBACK]
    # BROKEN 16: the same feedback exported twice (duplicate id)
    lines.append(lines[2])
    (HERE / "app_feedback.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    build_tickets_de()
    build_zendesk()
    build_freshdesk()
    build_webform_csv()
    build_chat_json()
    build_chat_text()
    build_whatsapp()
    build_twcs()
    build_social_jsonl()
    build_mail()
    build_survey_tsv()
    build_reviews_json()
    build_app_feedback_jsonl()


if __name__ == "__main__":
    main()
