"""The issue cycle workflow: workflow.py (deterministic), activities.py (MongoDB I/O)."""
