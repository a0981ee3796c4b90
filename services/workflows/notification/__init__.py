"""Notifications to webhooks: workflow.py (deterministic), activities.py (HTTP)."""
