"""Form version 2026-1: information letter and consent form, Dutch (B1 level) and English."""

from __future__ import annotations

from consent_forms.model import Language
from consent_forms.texts import FormTemplate

VERSION = "2026-1"

_LETTER_NL = """
Beste {client},

Je hebt contact met het STAP-team. In deze brief leggen we uit wie wij zijn, welke gegevens
we over jou willen delen en waarom. Ook lees je wat jouw rechten zijn. Lees de brief rustig.
Heb je vragen? Stel ze gerust aan {contact}.

# Wie is het STAP-team?

Het STAP-team helpt vrouwen die op straat sekswerk doen. In het team werken casemanagers van de
GGD, Bindkracht 10 en IrisZorg samen met een ervaringsdeskundige. We helpen je bij wat jij
belangrijk vindt: bijvoorbeeld wonen, gezondheid, geld, werk of een veilige plek. Jij bepaalt
mee welke stappen je zet.

# Waarom willen we gegevens delen?

Om je goed te helpen, is het soms nodig dat organisaties informatie over jou met elkaar
delen. Zo hoef je je verhaal niet steeds opnieuw te vertellen. Het doel is: {purpose}

# Met wie en welke gegevens?

Met jouw toestemming mogen deze organisaties gegevens over jou met elkaar delen:

- {organisations}

Het gaat alleen om deze soorten gegevens:

- {categories}

Andere gegevens delen we niet. Organisaties die niet op het formulier staan, krijgen niets.

# Hoe lang?

De toestemming geldt van {starts_on} tot en met {ends_on}. Daarna stopt het delen vanzelf.
Wil je dat het langer doorgaat? Dan vragen we je opnieuw om toestemming.

# Je mag altijd stoppen

Je kiest zelf of je toestemming geeft. Zeg je nee, dan helpen we je toch zo goed als we kunnen.
Je mag je toestemming ook later altijd intrekken, zonder uit te leggen waarom. Zeg het tegen
{contact}. Vanaf dat moment delen we niets meer.

# Jouw rechten

Volgens de privacywet (de AVG) heb je deze rechten:

- Je mag zien welke gegevens we over jou hebben en wie ze heeft bekeken.
- Je mag vragen om gegevens te verbeteren als ze niet kloppen, of om ze te verwijderen.
- Ben je het niet eens met hoe wij met je gegevens omgaan? Dan kun je een klacht indienen bij
  de organisatie of bij de Autoriteit Persoonsgegevens (www.autoriteitpersoonsgegevens.nl).

# Contact

Heb je vragen of wil je iets regelen? Neem contact op met {contact}. Je kunt ook de
functionaris voor gegevensbescherming van de organisatie om hulp vragen.

Met vriendelijke groet,

Het STAP-team
"""

_CONSENT_NL = """
Naam: {client}
Geboortedatum: {client_born_on}

Ik geef toestemming aan deze organisaties om gegevens over mij met elkaar te delen:

- {organisations}

Het gaat om deze soorten gegevens:

- {categories}

Doel: {purpose}

Deze toestemming geldt van {starts_on} tot en met {ends_on}.

Ik verklaar dat:

- ik de informatiebrief heb gekregen en dat die is uitgelegd;
- ik weet dat ik deze toestemming altijd mag intrekken, zonder reden;
- ik weet dat ik mijn gegevens mag inzien en mag laten verbeteren;
- ik weet dat ik een klacht kan indienen bij de Autoriteit Persoonsgegevens.

Formulierversie {form_version}.
"""

_LETTER_EN = """
Dear {client},

You are in contact with the STAP-team. In this letter we explain who we are, which information
about you we would like to share and why. You can also read what your rights are. Take your time
to read it. If you have questions, please ask {contact}.

# What is the STAP-team?

The STAP-team supports women who do sex work on the street. Case managers from the GGD,
Bindkracht 10 and IrisZorg work together with a peer expert. We help you with what matters to
you: for example housing, health, money, work or a safe place. You decide which steps you take.

# Why do we want to share information?

To help you well, organisations sometimes need to share information about you. That way you do
not have to tell your story again and again. The purpose is: {purpose}

# With whom, and which information?

With your consent, these organisations may share information about you with each other:

- {organisations}

Only these kinds of information are shared:

- {categories}

We share no other information. Organisations that are not on the form get nothing.

# For how long?

Your consent applies from {starts_on} up to and including {ends_on}. After that, sharing stops
by itself. If you want it to continue, we will ask for your consent again.

# You can always stop

It is your choice whether you give consent. If you say no, we will still help you as well as we
can. You can also withdraw your consent at any time, without giving a reason. Just tell
{contact}. From that moment on, we share nothing more.

# Your rights

Under the privacy law (the GDPR, in Dutch: AVG) you have these rights:

- You may see which information we hold about you and who has looked at it.
- You may ask us to correct information that is wrong, or to delete it.
- If you disagree with how we handle your information, you can complain to the organisation or
  to the Dutch Data Protection Authority, the Autoriteit Persoonsgegevens
  (www.autoriteitpersoonsgegevens.nl).

# Contact

If you have questions or want to arrange something, contact {contact}. You can also ask the
organisation's data protection officer for help.

Kind regards,

The STAP-team
"""

_CONSENT_EN = """
Name: {client}
Date of birth: {client_born_on}

I give consent to these organisations to share information about me with each other:

- {organisations}

It concerns these kinds of information:

- {categories}

Purpose: {purpose}

This consent applies from {starts_on} up to and including {ends_on}.

I declare that:

- I have received the information letter and it has been explained to me;
- I know that I can withdraw this consent at any time, without giving a reason;
- I know that I may see my information and have it corrected;
- I know that I can complain to the Autoriteit Persoonsgegevens.

Form version {form_version}.
"""

TEMPLATES = (
    FormTemplate(
        version=VERSION,
        language=Language.NL,
        letter_subject="Informatie over het delen van je gegevens",
        form_title="Toestemmingsformulier gegevensdeling STAP-team",
        information_letter_text=_LETTER_NL,
        consent_text=_CONSENT_NL,
    ),
    FormTemplate(
        version=VERSION,
        language=Language.EN,
        letter_subject="Information about sharing your information",
        form_title="Consent form for information sharing, STAP-team",
        information_letter_text=_LETTER_EN,
        consent_text=_CONSENT_EN,
    ),
)
