"""evx: typed, explainable event extraction from news text."""
