from flows.evaluate import Prediction, match


def test_a_prediction_an_optional_entry_accepts_leaves_the_required_one_to_another():
    """Gold: the Pantsir at the ministry (also "on the Moskva River") is required, at Moscow optional. A prediction
    at Moscow that the river's alias "Moskva" lets match the required entry too must not leave the one at the
    ministry unmatched, in whichever order the warehouse returns them."""
    at_moscow, at_ministry = Prediction("Pantsir-S1 @ Moscow", {"moscow", "moskva"}), Prediction("Pantsir-S1 @ NDMC", {"ndmc"})
    required, optional = [{"accepts": {"ndmc", "moskva"}}], [{"accepts": {"moscow"}}]

    def matches(prediction: Prediction, gold: dict) -> bool:
        return bool(prediction.names & gold["accepts"])

    for predictions in ([at_moscow, at_ministry], [at_ministry, at_moscow]):
        score, misses, false_positives = match(predictions, required, optional, matches)
        assert (score.tp, score.fp, score.fn, misses, false_positives) == (1, 0, 0, [], [])
