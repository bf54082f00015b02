"""Publishes a generated PNG the way a plotting app publishes its figure: saved to a file, then q.site.upload."""
import os
import struct
import tempfile
import zlib

from h2o_wave import main, app, Q, ui  # noqa: F401 -- `main` is the ASGI app


def png(width: int, height: int, rgb: tuple) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    rows = b''.join(b'\x00' + bytes(rgb) * width for _ in range(height))
    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')


@app('/')
async def serve(q: Q):
    if not q.client.initialized:
        with tempfile.TemporaryDirectory() as work:
            figure = os.path.join(work, 'figure.png')
            with open(figure, 'wb') as f:
                f.write(png(40, 30, (200, 40, 40)))
            figure_url, = await q.site.upload([figure])
            folder = os.path.join(work, 'folder')
            os.makedirs(folder)
            with open(os.path.join(folder, 'dot.png'), 'wb') as f:
                f.write(png(12, 12, (40, 40, 200)))
            folder_url, = await q.site.upload_dir(folder)
        q.page['figure'] = ui.form_card(box='1 1 4 6', items=[
            ui.text(f'Published {figure_url}'),
            ui.markup(content=f'<img data-test="figure" src="{figure_url}"/>'
                              f'<img data-test="folder-image" src="{folder_url}/dot.png"/>'),
        ])
        q.client.initialized = True
        await q.page.save()
