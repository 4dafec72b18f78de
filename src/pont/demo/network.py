"""The network's offer catalogue in the demo: services of Forem Mons-Mouscron, VDAB West-Vlaanderen and
Mission Locale du Douaisis beside their programmes (PERSONAS.md: Lies looks for what Forem offers people
like Ahmad), each in French, Dutch and English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pont.core.models import Municipality, Organisation, Region
from pont.demo.employment import FOREM, MISSION_LOCALE, VDAB
from pont.network.models import Offer

# organisation, town, kind, titles (fr, nl, en), descriptions (fr, nl, en), other fields
OFFERS = (
    (FOREM, "Mouscron", "diploma_recognition",
     ("Équivalence de diplôme étranger", "Gelijkwaardigheid van een buitenlands diploma",
      "Recognition of a foreign diploma"),
     ("Aide à constituer le dossier d'équivalence auprès de la Fédération Wallonie-Bruxelles : traductions, "
      "copies certifiées, suivi de la demande.",
      "Hulp bij het samenstellen van het gelijkwaardigheidsdossier bij de Federatie Wallonië-Brussel: "
      "vertalingen, gewaarmerkte kopieën, opvolging van de aanvraag.",
      "Help with the recognition file for the Wallonia-Brussels Federation: translations, certified copies, "
      "following the application."),
     {"languages": ["fra", "eng", "ara"], "min_age": 18, "waiting_weeks": 3, "cost_eur": Decimal("0"),
      "address": "Rue du Val 3, 7700 Mouscron", "opening_hours": "lun.–ven. 9:00–12:00",
      "contact_phone": "+32 56 00 00 01", "contact_email": "equivalence.mouscron@forem.example",
      "regions": ("BE32", "BE35", "BE34")}),
    (FOREM, "Mouscron", "childcare",
     ("Garde d'enfants pendant la formation", "Kinderopvang tijdens de opleiding", "Childcare during training"),
     ("Places en crèche réservées aux parents qui suivent une formation du Forem.",
      "Plaatsen in de kinderopvang voor ouders die een opleiding van de Forem volgen.",
      "Crèche places kept for parents following a Forem training."),
     {"languages": ["fra"], "capacity": 12, "waiting_weeks": 5, "cost_eur": Decimal("0"),
      "address": "Place Gérard Kasiers 10, 7700 Mouscron", "regions": ("BE32",)}),
    (VDAB, "Kortrijk", "civic_integration",
     ("Parcours d'intégration civique", "Inburgeringstraject", "Civic integration course"),
     ("Orientation sociale et cours de néerlandais du parcours d'intégration flamand, avec interprètes.",
      "Maatschappelijke oriëntatie en Nederlandse les van het Vlaamse inburgeringstraject, met tolken.",
      "Social orientation and Dutch lessons of the Flemish civic integration course, with interpreters."),
     {"languages": ["nld", "ara", "prs", "ukr", "tir"], "min_age": 18, "waiting_weeks": 2,
      "cost_eur": Decimal("90"), "address": "Conservatoriumplein 1, 8500 Kortrijk",
      "opening_hours": "ma–vr 8:30–16:30", "contact_phone": "+32 56 00 00 02", "regions": ("BE25",)}),
    (VDAB, "Kortrijk", "language_course",
     ("Néerlandais sur le lieu de travail (NT2)", "Nederlands op de werkvloer (NT2)", "Dutch at work (NT2)"),
     ("Cours de néerlandais deuxième langue donnés chez l'employeur, pendant les heures de travail.",
      "Lessen Nederlands als tweede taal bij de werkgever, tijdens de werkuren.",
      "Dutch as a second language taught at the employer's, during working hours."),
     {"languages": ["nld"], "min_age": 18, "right_to_work": "may_work", "waiting_weeks": 4, "cost_eur": Decimal("0"),
      "regions": ("BE25",)}),
    (MISSION_LOCALE, "Douai", "housing",
     ("Aide au logement des jeunes", "Huisvestingshulp voor jongeren", "Housing help for young people"),
     ("Recherche d'un logement, dossier d'aide au logement, garantie Visale, pour les 16-25 ans accompagnés.",
      "Zoeken naar een woning, aanvraag huurtoelage, Visale-waarborg, voor begeleide jongeren van 16 tot 25.",
      "Finding a home, housing benefit, the Visale guarantee, for young people aged 16 to 25 in guidance."),
     {"languages": ["fra"], "min_age": 16, "max_age": 25, "waiting_weeks": 1, "cost_eur": Decimal("0"),
      "address": "Rue de la Comédie 5, 59500 Douai", "regions": ("FRE11",)}),
    (MISSION_LOCALE, "Douai", "legal_advice",
     ("Permanence droit des étrangers", "Spreekuur vreemdelingenrecht", "Immigration law drop-in"),
     ("Un juriste répond aux questions sur le titre de séjour, le regroupement familial et le droit au travail.",
      "Een jurist beantwoordt vragen over de verblijfstitel, gezinshereniging en het recht op werk.",
      "A lawyer answers questions on residence permits, family reunification and the right to work."),
     {"languages": ["fra", "eng"], "cost_eur": Decimal("0"), "opening_hours": "mardi 14:00–17:00",
      "address": "Rue de la Comédie 5, 59500 Douai"}),
)


def seed_network() -> int:
    """Create the demo offers that are not there yet (by their French title); return how many were created."""
    created = 0
    regions = {r.code: r for r in Region.objects.all()}
    for org_name, town, kind, titles, descriptions, extra in OFFERS:
        if Offer.objects.filter(title_fr=titles[0]).exists():
            continue
        values: dict[str, Any] = dict(extra)
        area = [regions[code] for code in values.pop("regions", ()) if code in regions]
        offer = Offer(organisation=Organisation.objects.get(name=org_name), kind=kind,
                      municipality=Municipality.objects.filter(name=town).first(), **values)
        for language, title, description in zip(("fr", "nl", "en"), titles, descriptions, strict=True):
            setattr(offer, f"title_{language}", title)
            setattr(offer, f"description_{language}", description)
        offer.full_clean()
        offer.save()
        offer.regions.set(area)
        created += 1
    return created


def seed_referral() -> int:
    """Lies (VDAB) refers Ahmad to Forem's work-oriented French course with his consent; Jean-Marc (Forem)
    accepts and continues the file (PERSONAS.md). Once; return 1 when made."""
    from django.contrib.auth import get_user_model

    from pont.employment.models import Programme
    from pont.network import services
    from pont.network.models import Referral
    from pont.people.models import Person
    from pont.people.selectors import consent_in_force
    from pont.people.services import consent_record

    ahmad = Person.objects.filter(reference="DEMO-AHMAD").first()
    course = Programme.objects.filter(organisation__name=FOREM, kind="language_course").first()
    if ahmad is None or course is None or Referral.objects.filter(person=ahmad).exists():
        return 0
    users = get_user_model().objects
    lies, jean_marc = users.get(username="lvermeulen"), users.get(username="jmdufour")
    if consent_in_force(ahmad, "cross_border_referral") is None:
        consent_record(person=ahmad, by=lies, purpose="cross_border_referral", given_by="person")
    referral = services.referral_send(
        by=lies, person=ahmad, programme=course, fields=["name", "languages", "legal_status", "skills"],
        reason="Ahmad wil ook in Wallonië werken; zijn Frans (A2) moet B1 worden voor lasjobs in Mouscron.")
    services.referral_accept(by=jean_marc, referral=referral, note="Bienvenue : cours le mardi et le jeudi.")
    return 1


def seed_exchange() -> int:
    """Two threads of the practice exchange (Lies asks in Dutch how Walloon colleagues reassure employers about
    language; Jean-Marc answers in French) and a cross-border meeting; once. Return what was created."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pont.network import exchange
    from pont.network.models import Event, Thread

    if Thread.objects.exists():
        return 0
    users = get_user_model().objects
    lies, jean_marc, ines = (users.get(username=u) for u in ("lvermeulen", "jmdufour", "ibenali"))
    first = exchange.thread_create(
        by=lies, language="nl", tags=["werkgevers", "taal"], title="Werkgevers die twijfelen over het Nederlands",
        text="Hoe stellen jullie een werkgever gerust die vindt dat A2 Nederlands te weinig is voor de werkvloer? "
             "Wij bieden taalcoaching op de werkplek aan, maar dat overtuigt niet altijd.")
    exchange.reply_create(
        by=jean_marc, thread=first, language="fr",
        text="Chez nous, un essai de deux jours avec un tuteur qui parle la langue du candidat rassure beaucoup. "
             "Nous montrons aussi les pictogrammes de sécurité déjà utilisés dans l'atelier.")
    exchange.thread_create(
        by=ines, language="fr", tags=["garde d'enfants", "formation"], title="Garde d'enfants pendant les formations",
        text="Des jeunes mères abandonnent la formation faute de garde. Quelles solutions avez-vous trouvées côté "
             "belge ? La crèche du Forem à Mouscron accepte-t-elle des familles françaises ?")
    coordinator = users.get(username="nlefebvre")
    if not Event.objects.exists():
        starts = (timezone.localtime() + dt.timedelta(days=21)).replace(hour=9, minute=30, second=0, microsecond=0)
        exchange.event_create(by=coordinator, values={
            "title": "Rencontre transfrontalière des conseillers", "language": "fr", "capacity": 30,
            "description": "Échange de pratiques Forem, VDAB et Mission Locale : les orientations de l'autre côté "
                           "de la frontière, un an après.",
            "starts_at": starts, "ends_at": starts + dt.timedelta(hours=3), "place": "Forem, Rue du Val 3, Mouscron"})
    return 3
