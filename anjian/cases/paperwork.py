"""What every document of a penalty case shares: how it is issued and how it names the party.

Each stage of the procedure (``filing``, ``evidence``, ``decision``, ``execution``, ``casefile``)
builds its own documents' facts, but issues them all the same way — in the caller's transaction,
numbered by the agency that owns the case, with a ``source`` that names the act so that a replayed
submit cannot issue a second one (``documents.services.document_issue``) — and names the party
from the same records. The stages differ only in what they state of the party, which they say here
with ``fields``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from anjian.cases.choices import PartyType
from anjian.cases.models import Case, CaseOfficer, CaseStep
from anjian.documents import services as documents
from anjian.documents.models import IssuedDocument

SUBJECT_TYPE = "cases.case"


def issue(
    *, actor: Any, case: Case, kind: str, context: Mapping[str, Any], issued_on: dt.date, act: object = None, act_kind: str = ""
) -> IssuedDocument:
    """Issue one document of ``case`` in the caller's transaction.

    Its source is ``case:<id>:<act_kind or kind>[:<act>]``: ``act`` names the act when the case has
    several of that kind (the notice, the hearing, the n-th record); ``act_kind`` where two kinds
    are one act (a decision on a unit, on a person or on the spot: one decision per case).
    """
    agency = case.owner_agency
    source = act_source(case, act_kind or kind, act)
    return documents.document_issue(
        actor=actor, kind_code=kind, agency_id=agency.pk, agency_name=agency.name, doc_abbr=agency.doc_abbr, jurisdiction=case.jurisdiction,
        subject_type=SUBJECT_TYPE, subject_id=case.pk, enterprise_id=case.enterprise_id, context=context, issued_on=issued_on, source=source,
    )  # fmt: skip


def act_source(case: Case, kind: str, act: object = None) -> str:
    """The ``source`` naming one act of the case: ``case:<id>:<kind>[:<act>]``."""
    return f"case:{case.pk}:{kind}" + ("" if act is None or act == "" else f":{act}")


def attach(step: CaseStep, document: IssuedDocument) -> None:
    """Record the document on the timeline row of the act that issued it."""
    step.document = document
    step.save(update_fields=["document"])


# What a document may state of the party. A field that does not apply to the party's type is left
# out (a person has no 统一社会信用代码, a unit no ID number); ``unit`` (a person's employer) only
# when the case records one.
PartyField = Literal["name", "address", "id_number", "position", "unit", "legal_representative", "phone", "uscc", "you", "self", "details"]
PERSON_FIELDS = frozenset({"name", "address", "id_number", "position", "unit", "you", "self", "details"})
UNIT_FIELDS = frozenset({"name", "address", "legal_representative", "phone", "uscc", "you", "self", "details"})


def party_facts(
    case: Case, *, fields: Sequence[PartyField], unit_address: Literal["site", "registered"] = "site", person_address: bool = False
) -> dict[str, str]:
    """The party as a document names it (一案一个当事人), with the ``fields`` that document states,
    in that order.

    A unit's address is that of its primary site (else its first, else the registered one) where
    the document speaks of the place of business (``unit_address="site"``), the registered address
    where it speaks of the party on the decision's record (``"registered"``: no query of the sites).
    A person's address is stated only where the document states it (``person_address``, §59 ¶1(1)).
    ``details`` is the one line of the 立案审批表 and the reports (code, representative, address,
    phone for a unit; ID number, post and employer for a person); ``you`` and ``self`` how the
    notices address the party (你单位 / 你, 本单位 / 本人).
    """
    values: dict[str, Callable[[], str]]
    if case.party_type == PartyType.PERSON:
        allowed = PERSON_FIELDS if case.enterprise_id is not None else PERSON_FIELDS - {"unit"}

        def person_details() -> str:
            parts = [f"身份证号码：{case.person_id_number}"]
            if case.person_position:
                parts.append(f"职务：{case.person_position}")
            if case.enterprise is not None:
                parts.append(f"工作单位：{case.enterprise.name}")
            return "；".join(parts)

        values = {
            "name": lambda: case.person_name,
            "address": lambda: case.person_address if person_address else "",
            "id_number": lambda: case.person_id_number,
            "position": lambda: case.person_position,
            "unit": lambda: case.enterprise.name if case.enterprise is not None else "",
            "you": lambda: "",
            "self": lambda: "本人",
            "details": person_details,
        }
    else:
        ent = case.enterprise
        assert ent is not None  # a unit party has its enterprise (constraint case_party_present)
        allowed = UNIT_FIELDS
        address: list[str] = []  # the sites are read once, and only when the address is stated

        def unit_address_text() -> str:
            if not address:
                if unit_address == "registered":
                    address.append(ent.registered_address or "")
                else:
                    site = ent.sites.filter(is_primary=True).first() or ent.sites.first()
                    address.append((site.address if site else "") or ent.registered_address)
            return address[0]

        def unit_details() -> str:
            rows = [
                ("统一社会信用代码", ent.uscc or ""),
                ("法定代表人（负责人）", ent.legal_representative or ent.principal),
                ("地址", unit_address_text()),
                ("联系电话", ent.contact_phone or ent.principal_phone),
            ]
            return "；".join(f"{label}：{value}" for label, value in rows if value) or ent.name

        values = {
            "name": lambda: ent.name,
            "address": unit_address_text,
            "legal_representative": lambda: ent.legal_representative or ent.principal,
            "phone": lambda: ent.contact_phone or ent.principal_phone,
            "uscc": lambda: ent.uscc or "无（无证无照）",  # 无证无照: the code is stated as absent, not left blank
            "you": lambda: "单位",
            "self": lambda: "本单位",
            "details": unit_details,
        }
    return {f: values[f]() for f in fields if f in allowed}


def officer_facts(case: Case) -> list[dict[str, str]]:
    """The case's active officers with the certificate numbers checked when they were assigned (§42)."""
    rows = CaseOfficer.objects.filter(case=case, active=True).select_related("staff").order_by("order", "id")
    return [{"name": r.staff.name, "certificate_no": r.certificate_number} for r in rows]
