"""The package of the Package Wave example: app.py is the Wave app, greeting.py its logic."""
