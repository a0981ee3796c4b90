"""The binding framework workflow: workflow.py (deterministic), activities.py (MongoDB I/O)."""
