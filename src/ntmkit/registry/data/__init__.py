"""The criteria-set data files (one TOML file per set version)."""
