"""Wave's ASGI app with no @app handler: it runs, and waved has no app to show."""
from h2o_wave import main  # noqa: F401 -- `main` is the ASGI app
