// The seeded generator is shared by every compute module (one algorithm, one stream per seed).
@_exported import Randomness
