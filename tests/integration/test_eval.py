"""Extraction quality, measured by `flakturm eval` on real warehouses: the seed gold targets, and the
held-out sets written without looking at the extractor (tests/fixtures/heldout*), as regression guards."""

import json

import pytest

from tests.conftest import ROOT, SHARED_GOLD, run_cli

pytestmark = pytest.mark.usefixtures("prefect_api")
FIXTURES = ROOT / "tests" / "fixtures"
UNSEEN_TARGETS = {"systems": 0.90, "sites": 0.90, "actors": 0.90, "deployments": 0.85, "quotes": 0.85}


def scores(articles, gold, warehouse) -> dict:
    assert run_cli("ingest", str(articles), "--warehouse", str(warehouse)).returncode == 0
    result = run_cli("eval", str(gold), "--warehouse", str(warehouse), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["scores"]


@pytest.mark.skipif(not SHARED_GOLD.exists(), reason="shared gold file not beside the project")
def test_seed_gold_targets(corpus, warehouse):
    found = scores(corpus, SHARED_GOLD, warehouse)
    for category in ("systems", "sites", "actors"):
        assert found[category]["f1"] >= 0.95, (category, found[category])
    for category in ("deployments", "quotes"):
        assert found[category]["f1"] >= 0.90, (category, found[category])
    table = run_cli("eval", str(SHARED_GOLD), "--warehouse", str(warehouse))
    assert "deployments" in table.stdout and "F1" in table.stdout


@pytest.mark.parametrize("name", ["heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout10",
                                  "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17",
                                  "heldout18", "heldout20", "heldout23", "heldout28", "heldout29", "heldout30",
                                  "heldout32", "heldout34", "heldout35", "heldout37", "heldout38", "heldout39", "heldout40",
                                  "heldout41", "heldout42", "heldout43", "heldout44", "heldout45", "heldout46",
                                  "heldout47", "heldout49", "heldout50", "heldout51", "heldout52", "heldout67",
                                  "heldout68", "heldout69", "heldout70", "heldout71", "heldout73", "heldout78",
                                  "heldout79", "heldout82"])
def test_held_out_sets_stay_above_the_unseen_targets(name, tmp_path):
    found = scores(FIXTURES / name / "articles", FIXTURES / name / f"{name}.gold.json", tmp_path / "w.duckdb")
    for category, target in UNSEEN_TARGETS.items():
        assert found[category]["f1"] >= target, (category, found[category])


# Not yet at the unseen targets, mostly in deployments (systems placed sentences away from their names: OSINT
# logs and threads, narrative features, Q&A, tower contractors' "objects"): floors at what each reaches. First contact, in
# the order systems/sites/actors/deployments/quotes: heldout9 0.923/0.917/0.899/0.556/0.816, heldout19
# 0.889/0.910/0.898/0.741/0.853, heldout21 0.972/0.967/0.815/0.688/0.789, heldout22 0.894/0.870/0.898/0.673/0.667,
# heldout24 0.952/0.892/0.918/0.806/0.933, heldout25 0.933/0.820/0.800/0.588/0.842, heldout26
# 0.927/0.868/0.898/0.792/0.750, heldout27 0.957/0.927/0.929/0.800/0.904 (and heldout11 0.981/0.963/0.926/0.737/1.000, heldout12 0.980/0.940/0.988/0.657/0.898,
# heldout13 0.955/0.969/0.940/0.609/0.711, heldout14 0.983/0.954/0.906/0.737/0.794, heldout15
# 1.000/0.955/0.930/0.806/0.800, heldout16 0.889/0.821/0.905/0.514/0.762, heldout17 1.000/0.947/0.957/0.769/0.842,
# heldout18 0.938/0.892/0.879/0.700/0.833, heldout20 0.933/0.918/0.957/0.782/0.844, heldout23
# 1.000/0.914/0.923/0.699/0.923, heldout28 0.943/0.967/0.953/0.807/0.959, heldout29 1.000/0.923/0.967/0.800/0.923,
# heldout30 1.000/0.993/0.944/0.871/0.971, heldout32 0.958/0.935/0.965/0.615/0.841 and heldout34
# 0.955/0.940/0.936/0.862/0.857, heldout35 1.000/0.993/0.938/0.818/0.909, heldout37 0.973/0.966/0.954/0.828/0.800 and
# heldout38 1.000/0.937/0.974/0.852/0.957, heldout39 1.000/0.952/0.838/0.786/0.870, heldout40 0.976/0.990/0.990/0.833/1.000,
# heldout41 1.000/0.980/0.977/0.809/0.892, heldout42 0.980/0.985/0.944/0.914/0.862, heldout43 1.000/0.959/0.977/0.903/0.846,
# heldout44 1.000/0.962/0.978/0.840/0.923, heldout45 1.000/0.985/0.976/0.840/0.873, heldout46
# 1.000/0.957/0.980/0.909/0.921, heldout47 1.000/0.981/0.952/0.895/0.903, heldout49 1.000/0.987/0.974/0.817/0.849,
# heldout50 0.986/0.970/0.964/0.805/0.914, heldout51 1.000/0.955/0.964/0.871/0.950, heldout52 1.000/0.979/0.948/0.880/0.907,
# which have since reached the targets);
# heldout31 1.000/0.914/0.927/0.689/0.885, heldout33 0.955/0.924/0.936/0.700/0.921, heldout36 0.974/0.976/0.958/0.765/1.000,
# heldout48 1.000/0.986/0.966/0.844/0.862 (an Economist briefing: systems "pulled ... to protect the bridge to Crimea").
# Session 12's three rounds, first contact: heldout53 1.000/0.954/0.892/0.818/0.872, heldout54 1.000/0.960/0.923/0.786/0.877,
# heldout55 1.000/1.000/0.953/0.774/0.941, heldout56 0.973/0.968/0.824/0.879/0.667; heldout57 0.839/0.872/0.897/0.625/0.794
# (a Ukrainian-language article), heldout58 1.000/0.955/0.933/0.844/0.817, heldout59 1.000/0.964/0.951/0.667/0.778,
# heldout60 1.000/0.979/0.971/0.822/0.898; heldout61 0.966/0.956/0.952/0.857/0.794, heldout62 0.971/0.955/0.909/0.894/0.811,
# heldout63 0.903/0.917/0.962/0.868/0.871 (since at the targets), heldout64 0.966/0.945/0.964/0.773/0.952. heldout21 and 25
# do not annotate unnamed speakers ("a U.S. official said"), which the extractor now reports: their actor floors went down.
# Session 13's two rounds, first contact: heldout65 1.000/0.912/0.872/0.844/0.886, heldout66 1.000/0.963/0.956/0.933/0.808
# (a TV transcript: speakers in "[SYNC - NAME, ROLE]" labels), heldout67 0.979/0.952/0.953/0.821/0.831, heldout68
# 1.000/0.927/0.950/0.850/0.864; heldout69 1.000/0.977/0.889/0.849/0.836, heldout70 1.000/0.915/0.960/0.867/0.985, heldout71
# 1.000/0.927/0.885/0.840/0.824, heldout72 1.000/0.927/0.969/0.679/0.941 (aircraft struck at their bases, placed since
# session 14); heldout73 1.000/0.959/0.961/0.821/0.929, heldout74 0.962/0.963/0.898/0.800/0.785, heldout75
# 0.979/0.970/0.931/0.766/0.820, heldout76 0.966/0.986/0.961/0.846/0.825 (71 and 73 since at the targets).
# Session 14's two rounds, first contact: heldout77 1.000/0.923/0.912/0.857/0.787 (speakers named only by a role),
# heldout78 0.980/0.957/0.939/0.754/0.865, heldout79 1.000/0.970/0.973/0.877/0.839, heldout80 1.000/0.947/0.889/0.800/0.857
# (78 and 79 since at the targets); after that round's rules, heldout81 1.000/0.953/0.935/0.848/0.844, heldout82
# 1.000/0.963/0.968/0.931/0.824 (since at the targets), heldout83 0.958/0.943/0.944/0.840/0.800, heldout84
# 0.979/0.948/0.936/0.765/0.835. Aircraft at their air bases ("Morozovsk, home to Su-34 bombers") are placed since
# session 14; heldout59 (quotes: "what it called"), 60, 63 and 64 were annotated before those conventions and do not list
# them (their floors went down).
@pytest.mark.parametrize("name, floors", [
    ("heldout9", {"deployments": 0.80}),
    ("heldout19", {"sites": 0.89, "deployments": 0.80}),
    ("heldout21", {"actors": 0.91, "deployments": 0.75, "quotes": 0.78}),
    ("heldout22", {"systems": 0.88, "sites": 0.87, "deployments": 0.70}),
    ("heldout24", {"sites": 0.89}),
    ("heldout25", {"sites": 0.86, "actors": 0.82, "deployments": 0.77}),
    ("heldout26", {"sites": 0.86, "actors": 0.89, "deployments": 0.81, "quotes": 0.80}),
    ("heldout27", {"deployments": 0.83}),
    ("heldout31", {"deployments": 0.79}),
    ("heldout33", {"deployments": 0.77}),
    ("heldout36", {"deployments": 0.82}),
    ("heldout48", {"deployments": 0.83}),
    ("heldout53", {"deployments": 0.82}),
    ("heldout54", {"deployments": 0.77}),
    ("heldout55", {"deployments": 0.80}),
    ("heldout56", {"actors": 0.87, "quotes": 0.79}),
    ("heldout57", {"systems": 0.82, "sites": 0.86, "actors": 0.88, "deployments": 0.61, "quotes": 0.81}),
    ("heldout58", {"deployments": 0.83, "quotes": 0.83}),
    ("heldout59", {"deployments": 0.80, "quotes": 0.77}),
    ("heldout60", {"deployments": 0.75}),
    ("heldout61", {"quotes": 0.78}),
    ("heldout62", {"quotes": 0.80}),
    ("heldout63", {"deployments": 0.83}),
    ("heldout64", {"deployments": 0.70}),
    ("heldout65", {"deployments": 0.83}),
    ("heldout66", {"quotes": 0.82}),
    ("heldout72", {"deployments": 0.81}),
    ("heldout74", {"deployments": 0.84}),
    ("heldout75", {"quotes": 0.81}),
    ("heldout76", {"deployments": 0.83}),
    ("heldout77", {"quotes": 0.82}),
    ("heldout80", {"deployments": 0.79}),
    ("heldout81", {"deployments": 0.83}),
    ("heldout83", {"deployments": 0.83, "quotes": 0.83}),
    ("heldout84", {"deployments": 0.75, "quotes": 0.82}),
])
def test_held_out_sets_below_the_targets_keep_their_scores(name, floors, tmp_path):
    found = scores(FIXTURES / name / "articles", FIXTURES / name / f"{name}.gold.json", tmp_path / "w.duckdb")
    for category, target in UNSEEN_TARGETS.items():
        assert found[category]["f1"] >= floors.get(category, target), (category, found[category])
