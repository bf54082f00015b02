"""An app whose only handler is at /demo, like most of Wave's own examples."""
from h2o_wave import main, app, Q, ui  # noqa: F401 -- `main` is the ASGI app


@app('/demo')
async def serve(q: Q):
    q.page['demo'] = ui.form_card(box='1 1 4 2', items=[ui.markup(content='<span data-test="demo">This is /demo</span>')])
    await q.page.save()
