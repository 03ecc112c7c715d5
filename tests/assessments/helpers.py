import re

from django.core import signing

from assessments.forms import TOKEN_SALT

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def url(code: str, lang: str = "en") -> str:
    return f"/{lang}/self-assessments/{code}/"


def token_from(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def fresh_token(client, code: str) -> str:
    return token_from(client.get(url(code)))


def forged_token(code: str, version: str = "1", key: str = "forged") -> str:
    return signing.dumps({"i": code, "v": version, "k": key}, salt=TOKEN_SALT)


def submit(
    client, code: str, answers: dict, *, keep: str | None = None, token=None, lang="en", **extra
):
    data = {"version": "1", "token": token or fresh_token(client, code), **answers, **extra}
    if keep:
        data["keep"] = keep
    return client.post(url(code, lang), data)
