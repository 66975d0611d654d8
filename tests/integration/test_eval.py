"""The seed gold targets, measured by `flakturm eval` on a real warehouse."""

import json

import pytest

from tests.conftest import SHARED_GOLD, run_cli

pytestmark = pytest.mark.usefixtures("prefect_api")


@pytest.mark.skipif(not SHARED_GOLD.exists(), reason="shared gold file not beside the project")
def test_seed_gold_targets(corpus, warehouse):
    assert run_cli("ingest", str(corpus), "--warehouse", str(warehouse)).returncode == 0
    result = run_cli("eval", str(SHARED_GOLD), "--warehouse", str(warehouse), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)["scores"]
    for category in ("systems", "sites", "actors"):
        assert scores[category]["f1"] >= 0.95, (category, scores[category])
    for category in ("deployments", "quotes"):
        assert scores[category]["f1"] >= 0.90, (category, scores[category])
    table = run_cli("eval", str(SHARED_GOLD), "--warehouse", str(warehouse))
    assert "deployments" in table.stdout and "F1" in table.stdout
