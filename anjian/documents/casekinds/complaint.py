"""Complaint and report document kinds (issue 12): the 答复意见书 replying to a complaint or report
(信访工作条例第三十二条、第三十四条; the seed's 行政执法投诉举报制度第五条) and the 转送函 referring a matter
outside the bureau's remit to the body that may handle it (信访工作条例第二十二条第二款).

Registered here like the penalty-case kinds; ``anjian.complaints.services`` issues them through
``documents.services.document_issue`` with facts from the submission. The submitter's name is
printed (the document is sent to them); an anonymous submitter is addressed as 投诉举报人.
"""

from __future__ import annotations

from anjian.documents.registry import DocumentKind, Fact, _not_after_issue, register

XFTL = "《信访工作条例》"
XFTL_22 = f"{XFTL}第二十二条"
XFTL_32 = f"{XFTL}第三十二条"
XFTL_34 = f"{XFTL}第三十四条"
XFTL_35 = f"{XFTL}第三十五条"

COMPLAINT_REPLY = register(
    DocumentKind(
        code="complaint_reply",
        name="投诉举报答复意见书",
        number_word="诉答",
        template="complaint_reply.docx",
        template_version="2026.1",
        served=True,
        # XFTL §32: the handling opinion is given in writing; §34: within 60 days (+30); §35: the
        # petitioner may ask the next higher body for a review within 30 days of receiving it.
        basis=f"{XFTL_32}；{XFTL_34}；{XFTL_35}",
        facts=(
            Fact("addressee", "投诉举报人（匿名的写“投诉举报人”）"),
            Fact("kind_label", "投诉或者举报"),
            Fact("received_on", "收到日期", type="date"),
            Fact("summary", "投诉举报事项"),
            Fact("findings", "逐项调查结论", type="list", item_facts=(Fact("ground", "事项"), Fact("conclusion", "结论"))),
            Fact("reply", "处理意见", article=XFTL_32),
            Fact("review_body", "复查机关", article=XFTL_35),
        ),
        checks=(_not_after_issue("received_on", "收到日期"),),
    )
)

COMPLAINT_REFERRAL = register(
    DocumentKind(
        code="complaint_referral",
        name="投诉举报转送函",
        number_word="诉转",
        template="complaint_referral.docx",
        template_version="2026.1",
        served=False,  # sent to another authority, not served on a party
        basis=XFTL_22,
        facts=(
            Fact("referred_to", "转送机关"),
            Fact("kind_label", "投诉或者举报"),
            Fact("received_on", "收到日期", type="date"),
            Fact("summary", "投诉举报事项"),
            Fact("reason", "转送理由", article=XFTL_22),
        ),
        checks=(_not_after_issue("received_on", "收到日期"),),
    )
)
