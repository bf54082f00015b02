"""Plain Python next to the app, imported relatively: it works because the app is run as hello.app."""


def greeting(who: str) -> str:
    return f'Hello, {who}! Greetings from a package.'
