"""Package Wave: the Wave app of the package. Runs as `python -m h2o_wave run hello.app`."""
from h2o_wave import main, app, Q, ui  # noqa: F401 -- `main` is the ASGI app that serves this module

from .greeting import greeting
from .layout import greeting_form


@app('/')
async def serve(q: Q):
    # Drawn whole on every event: the name typed so far and the answer to it.
    who = (q.args.who or '').strip() or 'world'
    q.page['meta'] = ui.meta_card(box='', title='Package Wave')
    q.page['hello'] = greeting_form(who, greeting(who))
    await q.page.save()
