"""Field validators shared by models, forms, the admin and imports."""

from django.core.exceptions import ValidationError

from cleanprod.core.codes import uscc_problem


def validate_uscc(value: str) -> None:
    """统一社会信用代码 with a correct GB 32100-2015 check character."""
    problem = uscc_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="uscc")
