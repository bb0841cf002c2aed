import io
import sys
from io import StringIO

import pytest
from django.core.management import call_command


def _run(*args: str, stdin: str | None = None) -> tuple[str, int]:
    out = StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        call_command("check_uscc", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdin = old
    return out.getvalue(), code


def test_check_uscc_arguments() -> None:
    out, code = _run("9144030010001686XA", "9144030010001686XB")
    lines = out.splitlines()
    assert lines[0] == "9144030010001686XA\tvalid"
    assert lines[1].startswith("9144030010001686XB\tinvalid\t校验码错误")
    assert code == 1


def test_check_uscc_all_valid_exits_zero() -> None:
    out, code = _run("9144030010001686XA")
    assert code == 0 and out == "9144030010001686XA\tvalid\n"


def test_check_uscc_reads_standard_input() -> None:
    out, code = _run("-", stdin="9144030010001686XA\n\n12345\n")
    assert out.splitlines() == [
        "9144030010001686XA\tvalid",
        "12345\tinvalid\t统一社会信用代码应为18位，实际为5位",
    ]
    assert code == 1


@pytest.mark.django_db
def test_check_uscc_is_a_console_command() -> None:
    import subprocess
    from pathlib import Path

    console = Path(sys.executable).parent / "cleanprod"  # the installed console command
    proc = subprocess.run(
        [str(console), "check_uscc", "-"],
        input="9144030010001686XA\n9144030010001686XB\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == "9144030010001686XA\tvalid"
    assert proc.stdout.splitlines()[1].startswith("9144030010001686XB\tinvalid\t")
