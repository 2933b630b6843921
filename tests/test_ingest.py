"""Bureau submissions: reading, header generations, every validation rule, storage in one transaction, idempotent
re-submission, the command line, and the no-partial-write guarantee when the process is killed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from data import models
from data.identifiers import is_valid_id_number, is_valid_org_code, is_valid_uscc, uscc_check_char
from data.ingest import IngestError, ingest
from data.ingest import headers as H
from data.ingest.pipeline import due_date
from data.ingest.readers import read_table
from data.ingest.samples import (
    csv_bytes,
    make_id_numbers,
    make_usccs,
    sample_rows,
    xlsx_bytes,
)
from data.ingest.validate import validate
from data.reference import RECORD_TYPES
from data.workdays import is_workday

ROOT = Path(__file__).resolve().parent.parent
RT = {rt.code: rt for rt in RECORD_TYPES}
RECEIVED = dt.datetime(2025, 7, 10, 10, 0)
END = dt.date(2025, 6, 30)
USCC = "914403001922038216"  # the standard's public example
INDIVIDUAL = "92340602MA2UK33127"
PERSON_ID = "11010519491231002X"


def count(store, model) -> int:
    with store.read() as db:
        return db.scalar(select(func.count()).select_from(model))


def stored_documents(store, submission_id: int | None = None) -> set[str]:
    statement = select(models.CreditRecord.document_no)
    if submission_id is not None:
        statement = statement.where(models.CreditRecord.submission_id == submission_id)
    with store.read() as db:
        return set(db.scalars(statement))


def nothing_written(store) -> None:
    for model in (models.Submission, models.CreditRecord, models.Subject, models.SubmissionRejection,
                  models.AuditEntry, models.RecordMonthly):
        assert count(store, model) == 0, model.__tablename__


# ---- validation rules, one row at a time ------------------------------------------------------------------------


def penalty_row(**changes: str) -> dict[str, str]:
    """One valid penalty row in the current template (CF_* codes), with changes applied."""
    row = {h: "" for h in H.PENALTY.current}
    row.update({
        "CF_XDR_MC": "北京通达商贸有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": USCC,
        "CF_FRDB": "王伟", "CF_WSH": "京通市监罚〔2025〕1号", "CF_WFXW": "未按规定公示年度报告",
        "CF_SY": "经查，当事人未按规定公示年度报告。", "CF_YJ": "《行政处罚法》第九条", "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币五千元", "CF_NR_FK": "0.5", "CF_NR_WFFF": "0", "CF_JDRQ": "2025-03-05",
        "CF_YXQ": "2099/12/31", "CF_CFJG": "北京市通州区市场监督管理局", "CF_CFJGDM": "",
    })
    row.update(changes)
    return row


def check(rows: list[dict[str, str]], record_type: str = "CF", today: dt.date = dt.date(2025, 7, 10)):
    """Validate rows (as a UTF-8 CSV) without a store; returns the validation outcome."""
    content = pd.DataFrame(rows).to_csv(index=False).encode()
    table = read_table(content, H.header_score)
    mapping = H.map_headers(table.headers, H.TEMPLATES[record_type])
    return validate(table, mapping, RT[record_type], today)


def errors_of(outcome, position: int = 0) -> list[tuple[str, str]]:
    errors = outcome.errors[outcome.errors["position"] == position]
    return list(zip(errors["field"], errors["reason"], strict=True))


def test_ingest001_a_complete_row_passes():
    outcome = check([penalty_row()])
    assert outcome.valid.tolist() == [True]
    assert outcome.errors.empty
    values = outcome.values.iloc[0]
    assert values["subject_kind"] == "enterprise"
    assert values["decision_date"] == pd.Timestamp("2025-03-05")
    assert values["amount"] == pytest.approx(0.5)


BAD_CELLS = [
    ({"CF_XDR_MC": ""}, "行政相对人名称", "必填项为空"),
    ({"CF_XDR_MC": "某" * 101}, "行政相对人名称", "超过 100"),
    ({"CF_XDR_SHXYM": "914403001922038217"}, "统一社会信用代码", "校验位错误"),
    ({"CF_XDR_SHXYM": "91350100M000100Y4Z"}, "统一社会信用代码", "不允许的字符"),
    ({"CF_XDR_SHXYM": "9111000060003IOZSV"}, "统一社会信用代码", "不允许的字符"),
    ({"CF_XDR_SHXYM": "91440300192203821"}, "统一社会信用代码", "应为 18 位（实际 17 位）"),
    ({"CF_XDR_SHXYM": ""}, "统一社会信用代码", "法人及非法人组织必须填写"),
    ({"CF_XDR_SHXYM": PERSON_ID}, "统一社会信用代码", "该号码是身份证号码"),
    ({"CF_XDR_SHXYM": INDIVIDUAL}, "行政相对人类别", "应为个体工商户"),
    ({"CF_XDR_LB": "个体工商户"}, "行政相对人类别", "应以 92 开头"),
    ({"CF_XDR_LB": "外资企业"}, "行政相对人类别", "应为 法人及非法人组织"),
    ({"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": ""}, "证件号码", "自然人必须填写证件号码"),
    ({"CF_XDR_LB": "自然人"}, "行政相对人类别", "不应为自然人"),
    ({"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_ZJHM": "110105194912310021"}, "证件号码", "校验位错误"),
    ({"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_ZJHM": "110105209912310028"}, "证件号码",
     "出生日期无效或在未来"),
    ({"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_ZJHM": "11010519491231"}, "证件号码", "格式错误"),
    ({"CF_XDR_ZJLX": "驾驶证"}, "证件类型", "不在标准取值内"),
    ({"CF_WSH": ""}, "决定文书号", "必填项为空"),
    ({"CF_WSH": "文" * 81}, "决定文书号", "超过 80"),
    ({"CF_JDRQ": ""}, "决定日期", "必填项为空"),
    ({"CF_JDRQ": "2025-02-30"}, "决定日期", "无法识别"),
    ({"CF_JDRQ": "三月五日"}, "决定日期", "无法识别"),
    ({"CF_JDRQ": "2025-07-11"}, "决定日期", "不能是未来日期"),
    ({"CF_JDRQ": "1930-01-01"}, "决定日期", "早于 1949-10-01"),
    ({"CF_YXQ": "2025-03-01"}, "有效期至", "早于决定日期"),
    ({"CF_YXQ": "9999-12-31"}, "有效期至", "长期有效请填 2099/12/31"),
    ({"CF_GSJZQ": "2025-01-01"}, "公示截止期", "早于决定日期"),
    ({"CF_CFJG": ""}, "决定机关", "必填项为空"),
    ({"CF_CFJGDM": "11110112MB0123456Z"}, "决定机关代码", "校验未通过"),
    ({"CF_NR_FK": "五千元"}, "罚款金额（万元）", "金额不是数字"),
    ({"CF_NR_FK": "-0.5"}, "罚款金额（万元）", "不能为负数"),
    ({"CF_NR_FK": ""}, "罚款金额（万元）", "处罚类别含罚款"),
    ({"CF_NR_FK": "0"}, "罚款金额（万元）", "处罚类别含罚款"),
    ({"CF_CFLB": "罚没款"}, "处罚类别", "罚没款"),
    ({"CF_CFLB": ""}, "处罚类别", "必填项为空"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), BAD_CELLS, ids=[f"rule{i:02d}" for i in range(len(BAD_CELLS))])
def test_ingest002_every_rule_rejects_its_bad_row_and_keeps_the_good_one(changes, field, reason):
    outcome = check([penalty_row(), penalty_row(**{"CF_WSH": "京通市监罚〔2025〕2号", **changes})])
    assert outcome.valid.tolist()[0] is True, errors_of(outcome, 0)
    assert outcome.valid.tolist()[1] is False
    found = errors_of(outcome, 1)
    assert any(f == field and reason in r for f, r in found), found


GOOD_CELLS = [
    {"CF_XDR_LB": "个体工商户", "CF_XDR_SHXYM": INDIVIDUAL},
    {"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": PERSON_ID},
    {"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_ZJLX": "护照号", "CF_XDR_ZJHM": "E12345678"},
    {"CF_XDR_LB": "", "CF_XDR_SHXYM": USCC},  # category derived from the code
    {"CF_XDR_SHXYM": "９１４４０３００１９２２０３８２１６"},  # full-width digits typed in Chinese input mode
    {"CF_JDRQ": "2025/3/5"}, {"CF_JDRQ": "2025.03.05"}, {"CF_JDRQ": "20250305"}, {"CF_JDRQ": "2025年3月5日"},
    {"CF_JDRQ": "2025-03-05 10:20:00"}, {"CF_JDRQ": "45721"},
    {"CF_YXQ": "2099/12/31"}, {"CF_YXQ": ""},
    {"CF_NR_FK": "1,234.5"}, {"CF_NR_FK": "0.5万元"},
    {"CF_CFLB": "警告、罚款"}, {"CF_CFLB": "没收违法所得、没收非法财物；罚款"}, {"CF_CFLB": "其他-责令改正"},
    {"CF_CFJGDM": USCC},
]


@pytest.mark.parametrize("changes", GOOD_CELLS, ids=[f"good{i:02d}" for i in range(len(GOOD_CELLS))])
def test_ingest003_accepted_variants(changes):
    outcome = check([penalty_row(**changes)])
    assert outcome.valid.tolist() == [True], errors_of(outcome)
    if "CF_JDRQ" in changes:
        assert outcome.values.iloc[0]["decision_date"] == pd.Timestamp("2025-03-05")


def test_ingest004_amounts_in_yuan_are_converted_to_wan_yuan():
    rows = [penalty_row(CF_NR_FK="")]
    frame = pd.DataFrame(rows).rename(columns={"CF_NR_FK": "罚款金额（元）"})
    frame["罚款金额（元）"] = "5000"
    table = read_table(frame.to_csv(index=False).encode(), H.header_score)
    outcome = validate(table, H.map_headers(table.headers, H.PENALTY), RT["CF"], dt.date(2025, 7, 10))
    assert outcome.valid.tolist() == [True]
    assert outcome.values.iloc[0]["amount"] == pytest.approx(0.5)


def test_ingest005_duplicates_within_the_file_keep_the_first():
    outcome = check([penalty_row(), penalty_row(CF_XDR_MC="另一家公司"), penalty_row(CF_WSH="京通市监罚〔2025〕9号")])
    assert outcome.valid.tolist() == [True, False, True]
    assert outcome.duplicate.tolist() == [False, True, False]
    assert errors_of(outcome, 1) == [("决定文书号", "重复：与第 2 行的文书号相同")]


def test_ingest006_a_row_with_more_cells_than_headers_is_rejected_alone():
    good = pd.DataFrame([penalty_row()]).to_csv(index=False)
    extra = good.splitlines()[1].replace("京通市监罚〔2025〕1号", "京通市监罚〔2025〕2号") + ",多出的一格"
    table = read_table((good + extra + "\n").encode(), H.header_score)
    outcome = validate(table, H.map_headers(table.headers, H.PENALTY), RT["CF"], dt.date(2025, 7, 10))
    assert outcome.valid.tolist() == [True, False]
    assert "列数多于表头" in errors_of(outcome, 1)[0][1]


@pytest.mark.parametrize(("categories", "amount", "expected"), [
    ("警告", "", "minor"), ("通报批评", "0", "minor"), ("罚款", "0.5", "ordinary"), ("罚款", "10", "serious"),
    ("警告、吊销许可证件", "", "serious"), ("暂扣或者吊销执照", "", "ordinary"), ("行政拘留", "", "serious"),
])
def test_ingest007_severity_derived_by_the_documented_rule(categories, amount, expected):
    outcome = check([penalty_row(CF_CFLB=categories, CF_NR_FK=amount)])
    assert outcome.valid.tolist() == [True], errors_of(outcome)
    assert outcome.values.iloc[0]["severity"] == expected


def test_ingest008_severity_from_the_file_wins_and_is_checked():
    rows = [penalty_row(CF_CFLB="警告", CF_NR_FK=""), penalty_row(CF_WSH="2号", CF_CFLB="警告", CF_NR_FK="")]
    frame = pd.DataFrame(rows)
    frame["严重程度"] = ["严重", "很严重"]
    table = read_table(frame.to_csv(index=False).encode(), H.header_score)
    outcome = validate(table, H.map_headers(table.headers, H.PENALTY), RT["CF"], dt.date(2025, 7, 10))
    assert outcome.values.iloc[0]["severity"] == "serious"
    assert ("严重程度", "应为 轻微、一般 或 严重") in errors_of(outcome, 1)


def licence_row(**changes: str) -> dict[str, str]:
    row = {h: "" for h in H.LICENCE.current}
    row.update({"XK_XDR_MC": "北京通达餐饮有限公司", "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": USCC,
                "XK_XKWS": "准予行政许可决定书", "XK_WSH": "京通住建许〔2025〕1号", "XK_XKLB": "普通",
                "XK_JDRQ": "2025-03-05", "XK_YXQZ": "2025-03-05", "XK_YXQZI": "2099/12/31",
                "XK_XKJG": "北京市通州区住房和城乡建设委员会"})
    row.update(changes)
    return row


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"XK_XKLB": "备案"}, "许可类别", "应为 普通"),
    ({"XK_YXQZ": "2026-01-01", "XK_YXQZI": "2025-12-31"}, "有效期至", "早于有效期自"),
    ({"XK_YXQZI": "2025-01-01"}, "有效期至", "早于决定日期"),
])
def test_ingest009_licence_rules(changes, field, reason):
    outcome = check([licence_row(), licence_row(XK_WSH="2号", **changes)], "XK")
    assert outcome.valid.tolist() == [True, False]
    assert any(f == field and reason in r for f, r in errors_of(outcome, 1))


def test_ingest010_licence_category_variants_accepted():
    outcome = check([licence_row(XK_XKLB="普通许可"), licence_row(XK_WSH="2号", XK_XKLB="其他-备案")], "XK")
    assert outcome.valid.tolist() == [True, True]


def test_ingest011_tax_rating_needs_a_grade_from_the_standard():
    frame = sample_rows("NSPJ", 3, bureau="SW", seed=3, end=END)
    frame.loc[1, "纳税信用级别"] = ""
    frame.loc[2, "纳税信用级别"] = "AAA"
    table = read_table(csv_bytes(frame), H.header_score)
    outcome = validate(table, H.map_headers(table.headers, H.TEMPLATES["NSPJ"]), RT["NSPJ"], dt.date(2025, 7, 10))
    assert outcome.valid.tolist() == [True, False, False]
    assert ("信用等级", "纳税信用评价须填写信用等级") in errors_of(outcome, 1)
    assert ("信用等级", "应为 A、B、M、C 或 D") in errors_of(outcome, 2)


def test_ingest012_declared_catalog_must_match():
    frame = pd.DataFrame([penalty_row(), penalty_row(CF_WSH="2号")])
    frame["信息类别"] = ["行政处罚", "行政许可"]
    table = read_table(frame.to_csv(index=False).encode(), H.header_score)
    outcome = validate(table, H.map_headers(table.headers, H.PENALTY), RT["CF"], dt.date(2025, 7, 10))
    assert outcome.valid.tolist() == [True, False]


def test_ingest013_org_code_failure_is_only_a_warning():
    # A USCC with a correct check character whose positions 9-17 fail the GB 11714 check (12345678-0; right is 8).
    body = "91110112123456780"
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code) and not is_valid_org_code(code[8:17])
    outcome = check([penalty_row(CF_XDR_SHXYM=code)])
    assert outcome.valid.tolist() == [True]
    assert outcome.warnings["reason"].str.contains("组织机构代码").any()


def test_ingest014_completeness_counts_mandatory_cells():
    outcome = check([penalty_row(), penalty_row(CF_WSH="2号", CF_XDR_MC="", CF_CFJG="")])
    assert outcome.fields_expected == 10
    assert outcome.fields_filled == 8


def test_ingest015_sample_codes_are_valid():
    rng = np.random.default_rng(1)
    assert all(is_valid_uscc(c) for c in make_usccs(rng, 200, "91"))
    assert all(is_valid_id_number(n) for n in make_id_numbers(rng, 200))


# ---- encodings, file kinds, header generations -------------------------------------------------------------------


NAME_OUTSIDE_GBK = "北京䶮源商贸有限公司"  # 䶮 (U+4DAE) is in GB18030 but not in GBK


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_ingest016_csv_encodings_detected_from_content(encoding):
    rows = [penalty_row(), penalty_row(CF_WSH="京通市监罚〔2025〕2号", CF_XDR_MC="北京运河餐饮有限公司")]
    if encoding == "gb18030":
        rows[1]["CF_XDR_MC"] = NAME_OUTSIDE_GBK
    content = pd.DataFrame(rows).to_csv(index=False, sep="\t" if encoding == "utf-16" else ",").encode(encoding)
    table = read_table(content, H.header_score)
    assert table.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert table.frame[0].tolist() == [r["CF_XDR_MC"] for r in rows]


def test_ingest017_xlsx_with_a_title_row_above_the_headers():
    frame = pd.DataFrame([penalty_row(), penalty_row(CF_WSH="2号", CF_JDRQ="")])
    table = read_table(xlsx_bytes(frame, title="行政处罚信息报送表（2025 年 3 月）"), H.header_score)
    assert table.encoding == "xlsx"
    assert table.headers[:3] == ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM"]
    assert table.row_numbers.tolist() == [3, 4]


@pytest.mark.parametrize("record_type", ["CF", "XK"])
@pytest.mark.parametrize("generation", ["current", "2015"])
def test_ingest018_both_header_generations_map_every_mandatory_field(record_type, generation):
    frame = sample_rows(record_type, 20, seed=4, generation=generation, end=END)
    table = read_table(csv_bytes(frame), H.header_score)
    recognised, _ = H.recognise(table.headers)
    assert recognised == record_type
    mapping = H.map_headers(table.headers, H.TEMPLATES[record_type])
    assert H.missing_required(mapping) == []
    outcome = validate(table, mapping, RT[record_type], dt.date(2025, 7, 10))
    assert outcome.valid.all(), outcome.errors.head()
    assert H.generation(table.headers) == ("current" if generation == "current" else "chinese")


def test_ingest019_header_variants_full_width_spaces_brackets():
    headers = ["行政相对人名称", " 行政相对人代码_1（统一社会信用代码） ", "行政处罚决定书文号",
               "*处罚决定日期（必填）", "处 罚 机 关", "罚款金额(万元)", "处罚类别１"]
    mapping = H.map_headers(headers, H.PENALTY)
    assert {k: v[0] for k, v in mapping.columns.items()} == {
        "subject_name": 0, "uscc": 1, "document_no": 2, "decision_date": 3, "authority": 4, "fine": 5,
        "penalty_category": 6}


@pytest.mark.parametrize("record_type", [rt.code for rt in RECORD_TYPES])
def test_ingest020_every_catalog_recognised_from_its_headers(record_type):
    assert H.recognise(list(H.TEMPLATES[record_type].current))[0] == record_type


# ---- storing submissions ----------------------------------------------------------------------------------------


def test_ingest021_valid_rows_stored_invalid_rows_reported(empty_store):
    frame = sample_rows("CF", 400, seed=11, defects=0.08, end=END)
    spoiled = frame.attrs["defects"]
    result = ingest(empty_store, csv_bytes(frame), "SCJG", file_name="罚款.csv", received_at=RECEIVED)
    assert result.total == 400
    assert result.accepted + result.rejected + result.duplicates == 400
    assert result.accepted == 400 - len(spoiled)
    good = set(frame.loc[~frame.index.isin(list(spoiled)), "CF_WSH"])
    assert stored_documents(empty_store) == good
    assert {e["row"] for e in result.errors} == {p + 2 for p in spoiled}
    with empty_store.read() as db:
        submission = db.get(models.Submission, result.submission_id)
        assert (submission.rows_total, submission.rows_accepted) == (400, result.accepted)
        assert submission.rows_rejected + submission.rows_duplicate == len(spoiled)
        rejection = db.scalars(select(models.SubmissionRejection)).first()
        original = json.loads(rejection.original)
        assert list(original) == list(frame.columns)
        assert original["CF_WSH"] == frame.loc[rejection.row_number - 2, "CF_WSH"]
        assert db.scalar(select(func.count()).select_from(models.AuditEntry)
                         .where(models.AuditEntry.action == "ingest")) == 1
    report = result.report
    assert list(report.columns) == ["文件行号", *frame.columns, "出错字段", "原因"]
    assert len(report) == len(result.errors)


def test_ingest022_same_file_again_changes_nothing(empty_store):
    content = csv_bytes(sample_rows("CF", 120, seed=12, defects=0.05, end=END))
    first = ingest(empty_store, content, "SCJG", received_at=RECEIVED)
    before = {m: count(empty_store, m) for m in (models.Submission, models.CreditRecord, models.Subject,
                                                  models.SubmissionRejection, models.AuditEntry)}
    again = ingest(empty_store, content, "SCJG", received_at=RECEIVED + dt.timedelta(days=1))
    assert again.resubmitted and again.submission_id == first.submission_id
    assert (again.accepted, again.rejected, again.duplicates) == (first.accepted, first.rejected, first.duplicates)
    assert [(e["row"], e["reason"]) for e in again.errors] == [(e["row"], e["reason"]) for e in first.errors]
    assert {m: count(empty_store, m) for m in before} == before


def test_ingest023_duplicates_against_the_store_per_bureau(empty_store):
    first = sample_rows("CF", 50, seed=13, end=END)
    ingest(empty_store, csv_bytes(first), "SCJG", received_at=RECEIVED)
    second = first.copy()
    second.loc[:9, "CF_WSH"] = second.loc[:9, "CF_WSH"] + "-新"
    second["CF_NR"] = "罚款人民币一千元"  # another file, forty of whose documents are already stored
    result = ingest(empty_store, csv_bytes(second), "SCJG", received_at=RECEIVED)
    assert (result.accepted, result.duplicates, result.rejected) == (10, 40, 0)
    assert {e["reason"] for e in result.errors} == {"重复：该文书号此前已报送入库"}
    other_bureau = ingest(empty_store, csv_bytes(first), "ZJ", received_at=RECEIVED)
    assert other_bureau.accepted == 50  # the same numbers from another bureau are other documents


def test_ingest024_subjects_matched_by_code_or_created(empty_store):
    with empty_store.session() as db:
        db.add(models.Subject(kind="enterprise", code=USCC, name="原有名称有限公司", town_code="110112001"))
    rows = [
        penalty_row(),
        penalty_row(CF_WSH="2号", CF_XDR_LB="个体工商户", CF_XDR_SHXYM=INDIVIDUAL, CF_XDR_MC="宋庄小吃店"),
        penalty_row(CF_WSH="3号", CF_XDR_LB="自然人", CF_XDR_SHXYM="", CF_XDR_ZJLX="身份证", CF_XDR_ZJHM=PERSON_ID,
                    CF_XDR_MC="张三"),
        penalty_row(CF_WSH="4号", CF_XDR_SHXYM="121200004013590816", CF_XDR_MC="某事业单位"),
    ]
    frame = pd.DataFrame(rows)
    frame["所属街乡"] = ["", "宋庄镇", "", ""]
    frame["住所"] = ["", "", "北京市通州区马驹桥镇某村 1 号", ""]
    result = ingest(empty_store, frame.to_csv(index=False).encode(), "SCJG", received_at=RECEIVED)
    assert result.accepted == 4 and result.subjects_created == 3
    with empty_store.read() as db:
        subjects = {s.code: s for s in db.scalars(select(models.Subject))}
    assert len(subjects) == 4
    assert subjects[USCC].name == "原有名称有限公司"
    assert (subjects[INDIVIDUAL].kind, subjects[INDIVIDUAL].town_code) == ("individual_business", "110112104")
    person = subjects[PERSON_ID]
    assert (person.kind, person.registered_on, person.town_code) == ("person", dt.date(1949, 12, 31), "110112109")
    assert (subjects["121200004013590816"].kind, subjects["121200004013590816"].town_code) == (
        "public_institution", None)


def test_ingest025_delay_severity_publicity_and_summary(empty_store):
    rows = [penalty_row(CF_JDRQ="2025-06-30"), penalty_row(CF_WSH="2号", CF_JDRQ="2025-03-05", CF_CFLB="警告",
                                                           CF_NR_FK="")]
    result = ingest(empty_store, pd.DataFrame(rows).to_csv(index=False).encode(), "SCJG", received_at=RECEIVED)
    with empty_store.read() as db:
        records = {r.document_no: r for r in db.scalars(select(models.CreditRecord))}
        summary = db.execute(select(models.RecordMonthly.month, models.RecordMonthly.published_late)
                             .order_by(models.RecordMonthly.month)).all()
    fined, warned = records["京通市监罚〔2025〕1号"], records["2号"]
    # 06-30 (Mon) to 07-10 (Thu): eight working days, one more than double publicity allows.
    assert (fined.publication_date, fined.publish_delay_wd, fined.severity) == (RECEIVED.date(), 8, "ordinary")
    # Publicity counted as the Civil Code counts periods: up to the corresponding day, inclusive.
    assert (fined.publicity_end, fined.status) == (dt.date(2026, 6, 30), "active")
    assert (warned.severity, warned.publicity_end, warned.status) == ("minor", dt.date(2025, 6, 5), "expired")
    assert summary == [("2025-03", 1), ("2025-06", 1)]
    assert result.period == "2025-06"


def test_ingest026_working_days_across_spring_festival_and_adjusted_weekend(empty_store):
    """2025: Spring Festival 01-28..02-04; Sunday 01-26 and Saturday 02-08 were worked (调休)."""
    cases = [("A1", "2025-01-27", dt.datetime(2025, 2, 12, 9), 7),  # Mon + 7 working days = 02-12
             ("A2", "2025-01-27", dt.datetime(2025, 2, 13, 9), 8),
             ("B1", "2025-01-24", dt.datetime(2025, 2, 10, 9), 7),  # counts Sunday 01-26 and Saturday 02-08
             ("B2", "2025-01-24", dt.datetime(2025, 2, 11, 9), 8)]
    for document, decided, received, _ in cases:
        ingest(empty_store, pd.DataFrame([penalty_row(CF_WSH=document, CF_JDRQ=decided)]).to_csv(
            index=False).encode(), "SCJG", received_at=received)
    with empty_store.read() as db:
        delays = dict(db.execute(select(models.CreditRecord.document_no,
                                        models.CreditRecord.publish_delay_wd)).all())
        late = db.scalar(select(func.sum(models.RecordMonthly.published_late)))
    assert delays == {document: expected for document, _, _, expected in cases}
    assert int(late) == 2


def test_ingest027_due_dates_of_periodic_and_event_catalogs():
    # Periodic: the 10th of the next month, moved past weekends and holidays, kept on a worked Saturday.
    assert due_date(RT["JYYC"], "2025-04", 10) == dt.date(2025, 5, 12)  # 05-10 is a Saturday
    assert due_date(RT["JYYC"], "2026-09", 10) == dt.date(2026, 10, 10)  # Saturday worked after National Day
    assert due_date(RT["NSPJ"], "2025Q4", 10) == dt.date(2026, 1, 12)
    # Event (double publicity) batches: 7 working days after the month's last day.
    assert due_date(RT["CF"], "2025-01", 10) == dt.date(2025, 2, 12)
    for day in (due_date(RT["JYYC"], f"2025-{m:02d}", 10) for m in range(1, 13)):
        assert is_workday(day)


def test_ingest028_submission_logged_with_period_due_and_counts(empty_store):
    frame = sample_rows("NSPJ", 30, bureau="SW", seed=15, start=dt.date(2025, 4, 1), end=dt.date(2025, 6, 30))
    result = ingest(empty_store, csv_bytes(frame, "utf-8-sig"), "SW", file_name="纳税信用.csv",
                    received_at=dt.datetime(2025, 7, 11, 16))
    with empty_store.read() as db:
        submission = db.get(models.Submission, result.submission_id)
    assert (submission.record_type_code, submission.period) == ("NSPJ", "2025Q2")
    assert submission.due_at == dt.datetime(2025, 7, 10, 23, 59, 59)
    assert result.on_time is False
    assert (submission.fields_expected, submission.fields_filled) == (150, 150)
    assert submission.file_name == "纳税信用.csv" and len(submission.fingerprint) == 64


@pytest.mark.parametrize(("content", "kind", "bureau", "message"), [
    (b"", None, "SCJG", "文件为空"),
    (b"   \r\n  \n", None, "SCJG", "文件为空"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "SCJG", "二进制"),
    (bytes(range(256)) * 4, None, "SCJG", "二进制"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, None, "SCJG", ".xls"),
    (b"PK\x03\x04not really a workbook", None, "SCJG", "无法读取该 Excel"),
    (b"CF_XDR_MC,CF_WSH,CF_JDRQ\n", None, "SCJG", "只有表头"),
    ("甲,乙,丙\n1,2,3\n".encode(), None, "SCJG", "无法从表头识别"),
    (None, "licence", "SCJG", "文件类型不符"),
    (None, None, "FY", "不负责报送"),
    (None, None, "NOPE", "未知的委办局"),
])
def test_ingest029_file_level_refusals_write_nothing(empty_store, content, kind, bureau, message):
    content = content if content is not None else csv_bytes(sample_rows("CF", 10, seed=16, end=END))
    with pytest.raises(IngestError, match=message):
        ingest(empty_store, content, bureau, kind=kind, received_at=RECEIVED)
    nothing_written(empty_store)


def test_ingest030_missing_mandatory_column_named(empty_store):
    frame = sample_rows("CF", 10, seed=17, end=END).drop(columns=["CF_CFJG", "CF_JDRQ"])
    with pytest.raises(IngestError, match="缺少必填列：决定日期；决定机关"):
        ingest(empty_store, csv_bytes(frame), "SCJG", received_at=RECEIVED)
    nothing_written(empty_store)


def test_ingest031_failure_inside_the_transaction_leaves_nothing(empty_store, monkeypatch):
    import data.ingest.pipeline as pipeline

    def broken(*_args, **_kwargs):
        raise RuntimeError("summary refresh failed")

    monkeypatch.setattr(pipeline, "add_records", broken)
    with pytest.raises(RuntimeError):
        ingest(empty_store, csv_bytes(sample_rows("CF", 200, seed=18, defects=0.05, end=END)), "SCJG",
               received_at=RECEIVED)
    nothing_written(empty_store)


@pytest.mark.parametrize(("generation", "encoding", "as_xlsx"), [
    ("current", "utf-8", False), ("2015", "gbk", False), ("2015", "gb18030", False), ("current", "", True)])
def test_ingest032_licences_in_every_generation_and_encoding(empty_store, generation, encoding, as_xlsx):
    frame = sample_rows("XK", 60, bureau="ZJ", seed=19, generation=generation, end=END)
    content = xlsx_bytes(frame, title="行政许可") if as_xlsx else csv_bytes(frame, encoding)
    result = ingest(empty_store, content, "ZJ", file_name="许可.xlsx" if not as_xlsx else "许可.csv",
                    received_at=RECEIVED)
    assert (result.accepted, result.record_type) == (60, "XK")
    document = next(h for h in frame.columns if h in ("XK_WSH", "行政许可决定书文号"))
    assert stored_documents(empty_store) == set(frame[document])


# ---- the command line --------------------------------------------------------------------------------------------


@pytest.fixture
def cli(empty_store, use_store, tmp_path):
    app = use_store(empty_store)
    runner = app.server.test_cli_runner()

    def run(*args: str, content: bytes | None = None, name: str = "file.csv"):
        arguments = list(args)
        if content is not None:
            path = tmp_path / name
            path.write_bytes(content)
            arguments.insert(0, str(path))
        # `flask` pushes an app context for every command (FlaskGroup); the bare test runner does not.
        with app.server.app_context():
            return runner.invoke(args=["ingest", *arguments])

    return run


def test_ingest033_cli_json_result(cli, empty_store):
    frame = sample_rows("CF", 80, seed=20, defects=0.1, end=END)
    result = cli("--bureau", "SCJG", "--json", content=csv_bytes(frame, "gbk"))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"submission_id", "accepted", "rejected", "duplicates", "errors"} <= set(payload)
    assert payload["accepted"] == 80 - len(frame.attrs["defects"]) == count(empty_store, models.CreditRecord)
    assert all(set(e) == {"row", "field", "reason"} for e in payload["errors"])


def test_ingest034_cli_refusal_exit_status_and_nothing_written(cli, empty_store):
    frame = sample_rows("CF", 10, seed=21, end=END)
    for args, content in ((("--bureau", "SCJG"), b""), (("--bureau", "SCJG", "--kind", "licence"), csv_bytes(frame)),
                          (("--bureau", "SCJG"), csv_bytes(frame.drop(columns=["CF_WSH"]))),
                          (("--bureau", "SCJG", "--json"), b"\x00\x01binary")):
        result = cli(*args, content=content)
        assert result.exit_code == 1
        assert "报送失败" in result.stderr
    nothing_written(empty_store)


def test_ingest035_cli_help_in_chinese_and_report_file(cli, tmp_path):
    help_text = cli("--help").output
    assert "校验并导入一个委办局报送文件" in help_text and "--bureau" in help_text and "行政处罚" in help_text
    frame = sample_rows("CF", 40, seed=22, defects=0.2, end=END)
    report = tmp_path / "report.xlsx"
    result = cli("--bureau", "SCJG", "--report", str(report), content=csv_bytes(frame))
    assert result.exit_code == 0 and "已入库" in result.output
    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "文件行号")
    assert list(header) == ["文件行号", *frame.columns, "出错字段", "原因"]


@pytest.mark.skipif("postgresql" not in os.environ.get("TEST_DATABASE_URL", ""), reason="needs PostgreSQL")
def test_ingest036_killed_mid_ingest_leaves_no_partial_submission(store_factory, tmp_path):
    store = store_factory.new("postgresql")
    path = tmp_path / "big.csv"
    # Big enough that the records are written in several blocks: progress names the stage from the second on.
    path.write_bytes(csv_bytes(sample_rows("CF", 250_000, seed=23, subjects=50_000, defects=0.01, end=END)))
    env = {**os.environ, "DATABASE_URL": store.url, "INSTANCE_PATH": str(tmp_path / "instance"),
           "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "ingest", str(path), "--bureau", "SCJG"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + 120
    try:
        os.set_blocking(process.stderr.fileno(), False)
        while "写入信用记录".encode() not in seen:
            assert process.poll() is None, seen.decode(errors="replace")
            assert time.monotonic() < deadline
            seen += process.stderr.read() or b""
            time.sleep(0.05)
        time.sleep(0.5)  # well inside the COPY of the records
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert process.stdout.read() == b""  # the summary, printed after commit, never came
    with store.engine.connect() as connection:
        # The killed backend's transaction is rolled back when PostgreSQL notices the lost client.
        for _ in range(100):
            busy = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE state <> 'idle' AND "
                                           "query ILIKE 'COPY%' AND pid <> pg_backend_pid()")).scalar()
            if not busy:
                break
            time.sleep(0.1)
    nothing_written(store)


# ---- properties: any file gives exactly the valid rows, or nothing, and never a crash -------------------------------


@pytest.fixture(scope="module")
def property_store(store_factory):
    return store_factory.new("sqlite")


_BATCH = iter(range(1, 1_000_000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.integers(1, 60), share=st.sampled_from([0.0, 0.1, 0.3, 0.8]), seed=st.integers(0, 10_000),
       generation=st.sampled_from(["current", "2015"]), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]))
def test_ingest037_exactly_the_valid_rows_are_stored(property_store, rows, share, seed, generation, encoding):
    batch = next(_BATCH)
    frame = sample_rows("CF", rows, seed=seed, generation=generation, defects=share, prefix=f"P{batch}-", end=END)
    spoiled = frame.attrs.get("defects", {})
    document = frame.columns[[H.normalise(c) in ("CFWSH", "行政处罚决定书文号") for c in frame.columns].index(True)]
    result = ingest(property_store, csv_bytes(frame, encoding), "SCJG", received_at=RECEIVED)
    expected = set(frame.loc[~frame.index.isin(list(spoiled)), document])
    assert stored_documents(property_store, result.submission_id) == expected
    assert result.accepted == len(expected) and result.accepted + result.rejected + result.duplicates == rows
    assert {e["row"] - 2 for e in result.errors} == set(spoiled)


_CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL, _CELL, _CELL), min_size=1, max_size=8))
def test_ingest038_arbitrary_cells_never_crash(property_store, cells):
    batch = next(_BATCH)
    rows = [penalty_row(CF_XDR_MC=a, CF_XDR_SHXYM=b or USCC, CF_WSH=f"H{batch}-{i}-{c}"[:90], CF_JDRQ=d,
                        CF_NR_FK=e, CF_CFLB=f) for i, (a, b, c, d, e, f) in enumerate(cells)]
    # Every cell quoted: a bare \r in an unquoted cell ends the row for any CSV reader (and for Excel).
    content = pd.DataFrame(rows).to_csv(index=False, quoting=csv.QUOTE_ALL).encode()
    before = count(property_store, models.CreditRecord)
    try:
        result = ingest(property_store, content, "SCJG", received_at=RECEIVED)
    except IngestError:  # e.g. cells full of control characters read as a binary file
        assert count(property_store, models.CreditRecord) == before
        return
    assert result.accepted + result.rejected + result.duplicates == len(rows)
    assert count(property_store, models.CreditRecord) - before == result.accepted
    rejected_rows = {e["row"] for e in result.errors}
    assert len(rejected_rows) == result.rejected + result.duplicates


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.text(max_size=300).map(lambda t: (",".join(H.PENALTY.current) + "\n" + t).encode("utf-8")),
))
def test_ingest039_arbitrary_bytes_refused_cleanly_or_stored_whole(property_store, content):
    submissions = count(property_store, models.Submission)
    records = count(property_store, models.CreditRecord)
    try:
        result = ingest(property_store, content, "SCJG", received_at=RECEIVED)
    except IngestError as error:
        assert str(error)
        assert count(property_store, models.Submission) == submissions
        assert count(property_store, models.CreditRecord) == records
        return
    assert count(property_store, models.CreditRecord) - records == (0 if result.resubmitted else result.accepted)


def test_ingest040_error_report_of_a_resubmission_is_the_same(empty_store):
    frame = sample_rows("CF", 30, seed=24, defects=0.3, end=END)
    result = ingest(empty_store, csv_bytes(frame), "SCJG", received_at=RECEIVED)
    again = ingest(empty_store, csv_bytes(frame), "SCJG", received_at=RECEIVED)
    assert len(result.report) == len(result.errors) > 0
    pd.testing.assert_frame_equal(again.report, result.report, check_dtype=False)


def test_ingest050_summaries_after_submissions_equal_a_full_rebuild(empty_store):
    """The summaries are kept by adding each submission's own aggregate; after several submissions (new and known
    subjects, several months, rejected and duplicate rows, a re-sent file) they equal a recompute from scratch."""
    from tests.test_lists import summary_tables

    first = sample_rows("CF", 400, seed=51, defects=0.05, subjects=120, start=dt.date(2024, 1, 1), end=END)
    ingest(empty_store, csv_bytes(first), "SCJG", received_at=RECEIVED)
    after_first = summary_tables(empty_store)
    assert after_first == summary_tables(empty_store, rebuild=True)
    # The second file shares subjects with the first (same seed pool), repeats 20 of its documents and adds a
    # licence catalog of another bureau.
    second = pd.concat([sample_rows("CF", 300, seed=52, subjects=120, start=dt.date(2023, 6, 1), end=END),
                        first.iloc[:20]], ignore_index=True)
    result = ingest(empty_store, csv_bytes(second), "SCJG", received_at=RECEIVED + dt.timedelta(days=3))
    assert result.duplicates >= 20
    licences = sample_rows("XK", 150, bureau="ZJ", seed=53, end=END)
    ingest(empty_store, csv_bytes(licences), "ZJ", received_at=RECEIVED)
    ingest(empty_store, csv_bytes(licences), "ZJ", received_at=RECEIVED)  # the same file again changes nothing
    tables = summary_tables(empty_store)
    assert tables == summary_tables(empty_store, rebuild=True)
    assert tables["records"] != after_first["records"]
    with empty_store.read() as db:
        assert sum(row[6] for row in tables["records"]) == db.scalar(select(func.count(models.CreditRecord.id)))
        assert sum(row[4] for row in tables["subjects"]) == db.scalar(select(func.count(models.Subject.id)))
