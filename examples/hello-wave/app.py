"""Hello Wave: Wavestore's example app. Type a name, press the button, and it answers."""
from h2o_wave import main, app, Q, ui  # noqa: F401 -- `main` is the ASGI app that serves this module


@app('/')
async def serve(q: Q):
    if not q.client.initialized:
        q.page['meta'] = ui.meta_card(box='', title='Hello Wave')
        q.page['hello'] = ui.form_card(box='1 1 4 4', items=[
            ui.textbox(name='who', label='Your name', value='world'),
            ui.button(name='greet', label='Greet', primary=True),
            ui.text(name='answer', content=''),
        ])
        q.client.initialized = True
    if q.args.greet:
        who = (q.args.who or '').strip() or 'world'
        q.page['hello'].items[0].textbox.value = who
        q.page['hello'].items[2].text.content = f'Hello, {who}! Greetings from Wavestore.'
    await q.page.save()
