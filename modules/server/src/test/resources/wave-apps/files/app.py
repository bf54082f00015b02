"""Takes an uploaded text file, answers it in upper case as a /_f/ link, and unloads what was uploaded."""
import os
import tempfile

from h2o_wave import main, app, Q, ui  # noqa: F401 -- `main` is the ASGI app
from h2o_wave.core import ServiceError


@app('/')
async def serve(q: Q):
    if q.args.files:
        uploaded = q.args.files[0]
        with tempfile.TemporaryDirectory() as work:
            text = open(await q.site.download(uploaded, work)).read()
            shout = os.path.join(work, 'shout.txt')
            with open(shout, 'w') as f:
                f.write(text.upper())
            shout_url, = await q.site.upload([shout])
            await q.site.unload(uploaded)
            try:
                await q.site.download(uploaded, os.path.join(work, 'again.txt'))
                unloaded = 'still there'
            except ServiceError:
                unloaded = 'unloaded'
        q.page['files'] = ui.form_card(box='1 1 4 6', items=[
            ui.text(f'Received {len(text)} characters; the upload is {unloaded}.'),
            ui.markup(content=f'<a data-test="shout" href="{shout_url}" download>shout.txt</a>'),
        ])
    else:
        q.page['files'] = ui.form_card(box='1 1 4 6', items=[
            ui.file_upload(name='files', label='Send', file_extensions=['txt']),
        ])
    await q.page.save()
