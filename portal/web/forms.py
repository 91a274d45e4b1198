"""Flask-WTF forms for accounts. Labels and messages go through Babel, Dutch first."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp


class LoginForm(FlaskForm):
    username = StringField(_l("Gebruikersnaam"), validators=[DataRequired(_l("Vul uw gebruikersnaam in.")),
                                                            Length(max=64)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in.")),
                                                          Length(max=200)])
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(_l("Code uit uw authenticator-app"), validators=[
        DataRequired(_l("Vul de code van zes cijfers in.")),
        Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("De code bestaat uit zes cijfers."))])


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Huidig wachtwoord"), validators=[DataRequired(_l("Vul uw huidige wachtwoord in."))])
    new = PasswordField(_l("Nieuw wachtwoord"), validators=[
        DataRequired(_l("Vul een nieuw wachtwoord in.")),
        Length(min=12, max=200, message=_l("Het nieuwe wachtwoord moet minstens 12 tekens hebben."))])
    repeat = PasswordField(_l("Herhaal nieuw wachtwoord"), validators=[
        EqualTo("new", message=_l("De twee wachtwoorden zijn niet gelijk."))])
