"""The CSV routes' memory stays flat: measured on a real uvicorn process (VmHWM, its peak RSS).

Exporting 100,000 products peaks within a few MiB of exporting 10 (the export streams in
batches); importing 20,000 rows peaks within a bounded amount above the idle process (the body
is spooled to a file and read row by row). bench/spreadsheets.py reports the same steps with times.
"""

import pytest

from harness.spreadsheets import measure
from tests.support.database import owner_url

pytestmark = [pytest.mark.slow, pytest.mark.server]


def test_export_and_import_memory_is_bounded(database_url: str) -> None:
    steps = {
        step.name.split(" (")[0]: step
        for step in measure(database_url, owner_url(database_url), 100_000, 20_000)
    }
    print(
        "\n"
        + "\n".join(
            f"{name}: {step.seconds:.2f} s, peak RSS {step.peak_rss_mib:.1f} MiB"
            for name, step in steps.items()
        )
    )
    small, large = steps["export 10 products"], steps["export 100,000 products"]
    assert large.answer.startswith("200")
    assert large.peak_rss_mib - steps["export 10,000 products"].peak_rss_mib < 4, (
        "the export grows with the rows"
    )
    assert large.peak_rss_mib - small.peak_rss_mib < 16
    for label in ("new", "changed", "unchanged"):
        step = steps[f"import 20,000 rows, {label}"]
        assert step.answer.startswith("200"), step.answer
        assert step.peak_rss_mib - small.peak_rss_mib < 32, step
