"""GB 32100-2015 unified social credit codes and GB 11643-1999 identity numbers, with the published examples."""

import datetime as dt

import pytest

from data.identifiers import (
    id_check_char,
    is_valid_id_number,
    is_valid_org_code,
    is_valid_uscc,
    subject_kind_from_uscc,
    uscc_check_char,
)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "914403001922038216", "91440300708461136T", "121200004013590816",
             "92340602MA2UK33127"],
)
def test_identifiers001_published_valid_usccs(code):
    assert is_valid_uscc(code)


def test_identifiers002_standard_example_check_character():
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y4Z", "9111000060003IOZSV", "91350100M000100Y4", "91350100M000100Y433", "", "9135O100M000100Y43"],
)
def test_identifiers003_invalid_usccs(code):
    assert not is_valid_uscc(code)


def test_identifiers004_every_single_character_change_is_detected():
    code = "914403001922038216"
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for ch in charset:
            if ch != code[position]:
                assert not is_valid_uscc(code[:position] + ch + code[position + 1:])


def test_identifiers005_embedded_organisation_code():
    assert is_valid_org_code("192203821")  # from 914403001922038216
    assert not is_valid_org_code("192203822")


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_identifiers006_published_valid_id_numbers(number):
    assert is_valid_id_number(number)


def test_identifiers007_lowercase_x_accepted_and_wrong_check_rejected():
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")


def test_identifiers008_id_number_birth_date_must_be_real_and_not_future():
    not_a_date = "11010519490230" + "002"
    assert not is_valid_id_number(not_a_date + id_check_char(not_a_date))
    future = (dt.date.today() + dt.timedelta(days=30)).strftime("%Y%m%d")
    body = "110112" + future + "123"
    assert not is_valid_id_number(body + id_check_char(body))
    past = "110112" + "19800101" + "123"
    assert is_valid_id_number(past + id_check_char(past))


def test_identifiers009_subject_kind_from_code_prefix():
    assert subject_kind_from_uscc("914403001922038216") == "enterprise"
    assert subject_kind_from_uscc("92340602MA2UK33127") == "individual_business"
    assert subject_kind_from_uscc("121200004013590816") == "public_institution"
    assert subject_kind_from_uscc("Y1110000000000000X") is None
