// The bootstrap resamples with the seeded generator; every file of the module sees it through this import.
@_exported import KilnRandom
