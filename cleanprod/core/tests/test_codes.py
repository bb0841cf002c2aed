import pytest

from cleanprod.core.codes import (
    USCC_CHARSET,
    make_uscc,
    prefix_upper_bound,
    uscc_check_char,
    uscc_problem,
    validate_industry_code,
    validate_region_code,
    validate_uscc,
)
from cleanprod.core.errors import InvalidCode


def test_real_code_is_valid() -> None:
    assert uscc_problem("9144030010001686XA") is None
    assert validate_uscc("9144030010001686XA") == "9144030010001686XA"


def test_wrong_check_character_names_the_expected_one() -> None:
    problem = uscc_problem("9144030010001686XB")
    assert problem is not None and "A" in problem and "B" in problem
    with pytest.raises(InvalidCode):
        validate_uscc("9144030010001686XB")


def test_check_character_by_hand() -> None:
    # 9144030010001686X: values 9,1,4,4,0,3,0,0,1,0,0,0,1,6,8,6 and X=29 (A=10 … W=28, X=29).
    values = [9, 1, 4, 4, 0, 3, 0, 0, 1, 0, 0, 0, 1, 6, 8, 6, 29]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(v * w for v, w in zip(values, weights, strict=True))
    assert USCC_CHARSET[(31 - total % 31) % 31] == "A" == uscc_check_char("9144030010001686X")


@pytest.mark.parametrize("first17", ["N1440300MA5XXXXX1", "Y1110000500000001", "51110000500000001"])
def test_letters_allowed_by_the_standard_are_accepted(first17: str) -> None:
    assert uscc_problem(make_uscc(first17)) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9144030010001686X", "18位"),
        ("9144030010001686XAA", "18位"),
        ("I144030010001686XA", "第1位"),
        ("91440300100016O6XA", "第15位"),
        ("9144030010001686XZ", "第18位"),
        ("9144030010001686xa", "第17位"),
    ],
)
def test_malformed_codes_say_why(code: str, fragment: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and fragment in problem


def test_every_single_character_error_is_caught() -> None:
    code = "9144030010001686XA"
    for pos in range(17):
        for ch in USCC_CHARSET:
            if ch != code[pos]:
                assert uscc_problem(code[:pos] + ch + code[pos + 1 :]) is not None


def test_region_and_industry_shapes() -> None:
    assert validate_region_code("440305") == "440305"
    for bad in ["44030", "040305", "4403a5"]:
        with pytest.raises(InvalidCode):
            validate_region_code(bad)
    for good in ["C", "31", "384", "3360"]:
        assert validate_industry_code(good) == good
    for bad in ["CC", "33601", "3a", ""]:
        with pytest.raises(InvalidCode):
            validate_industry_code(bad)


def test_prefix_upper_bound() -> None:
    assert prefix_upper_bound("44") == "45"
    assert prefix_upper_bound("4403") == "4404"
    assert prefix_upper_bound("39") == "3:"
    assert "449999" < prefix_upper_bound("44") <= "450000"
