"""Hand-written sources of the unseen triage set (bench/data/triage-unseen); build.py assembles them."""
