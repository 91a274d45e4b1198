"""The consent domain: what a client agrees to, the texts she reads, signing, sealing, checking.

Plain Python: no Flask, no portal models. Clock, certificates, keys and bytes come in as
arguments. The portal's services call these functions and persist what they return.
"""

from __future__ import annotations

from consent_forms.errors import ConsentError
from consent_forms.lifecycle import (
    ConsentState,
    ConsentStatus,
    draft,
    expiring_within,
    is_valid,
    revoke,
    sign,
    status_on,
)
from consent_forms.model import (
    ConsentSpec,
    DataCategory,
    Language,
    Party,
    Signature,
    SignatureMethod,
    SignerIdentification,
    SignerRole,
    SigningRecord,
)
from consent_forms.render import (
    ComposedForms,
    compose,
    consent_form,
    final_document,
    information_letter,
    render_final,
    to_docx,
    to_pdf,
)
from consent_forms.sealing import SealReport, load_sealer, make_demo_certificate, seal, verify
from consent_forms.signing import ScanCheck, check_drawn_signature, check_scan, content_hash
from consent_forms.texts import FilledTexts, FormTemplate, default_templates, fill, get_template
from consent_forms.verify import ArchivedConsent, VerificationResult, check_pdf

__all__ = [
    "ArchivedConsent",
    "ComposedForms",
    "ConsentError",
    "ConsentSpec",
    "ConsentState",
    "ConsentStatus",
    "DataCategory",
    "FilledTexts",
    "FormTemplate",
    "Language",
    "Party",
    "ScanCheck",
    "SealReport",
    "Signature",
    "SignatureMethod",
    "SignerIdentification",
    "SignerRole",
    "SigningRecord",
    "VerificationResult",
    "check_drawn_signature",
    "check_pdf",
    "check_scan",
    "compose",
    "consent_form",
    "content_hash",
    "default_templates",
    "draft",
    "expiring_within",
    "fill",
    "final_document",
    "get_template",
    "information_letter",
    "is_valid",
    "load_sealer",
    "make_demo_certificate",
    "render_final",
    "revoke",
    "seal",
    "sign",
    "status_on",
    "to_docx",
    "to_pdf",
    "verify",
]
