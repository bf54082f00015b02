"""The app's one card, kept apart from the handler to show a second relative import."""
from h2o_wave import ui


def greeting_form(who: str, answer: str):
    return ui.form_card(box='1 1 4 4', items=[
        ui.textbox(name='who', label='Your name', value=who),
        ui.button(name='greet', label='Greet', primary=True),
        ui.text(answer),
    ])
