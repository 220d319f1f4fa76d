"""Penalty-case document kinds: casefile. See the package docstring.

结案审批表 (closing_approval), 案卷首页 (case_file_cover) and 卷内目录 (case_file_index) belong to
the legacy national set (安全生产监管监察执法文书, LEGAL.md §8). The closing approval is issued when
the case is closed (``cases.services.case_close``); the cover and the index are rendered from the
case's records each time the case file is downloaded (they describe the file as it is then) and are
not numbered documents of their own: their ``number_word`` is kept for a bureau that numbers them.
"""

from __future__ import annotations

from anjian.documents.registry import CASE_PARTY_NAME, CASE_TITLE, OFFICERS, XZCF, DocumentKind, Fact, register

XZCF_57 = f"{XZCF}第五十七条"
# LEGAL.md §8: case files are kept permanently (S).
RETENTION = "永久"

CLOSING_APPROVAL = register(
    DocumentKind(
        code="closing_approval",
        name="结案审批表",
        number_word="结审",
        template="closing_approval.docx",
        template_version="2026.1",
        served=False,  # an internal approval; nothing runs from it
        basis=XZCF_57,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("filed_on", "立案日期", type="date"),
            Fact("result", "处理结果"),
            Fact("execution", "执行情况"),
            OFFICERS,
            Fact("approver", "结案审批人"),
            Fact("closed_on", "结案日期", type="date"),
        ),
    )
)

CASE_FILE_COVER = register(
    DocumentKind(
        code="case_file_cover",
        name="案卷首页",
        number_word="卷首",
        template="case_file_cover.docx",
        template_version="2026.2",
        served=False,
        defaults={"retention": RETENTION},
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("result", "处理结果"),
            Fact("officer_names", "承办人", alternatives=("officers",)),
            Fact("retention", "保管期限"),
        ),
    )
)

CASE_FILE_INDEX = register(
    DocumentKind(
        code="case_file_index",
        name="卷内目录",
        number_word="卷目",
        template="case_file_index.docx",
        template_version="2026.2",
        served=False,
        facts=(
            CASE_TITLE,
            CASE_PARTY_NAME,
            Fact("rows", "卷内文件", type="list", item_facts=(Fact("seq", "序号"), Fact("title", "文书名称"))),
        ),
    )
)
