"""The appointment register as the workflows read it: activities.py (MongoDB)."""
